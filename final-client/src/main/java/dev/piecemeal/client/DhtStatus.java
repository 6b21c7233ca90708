package dev.piecemeal.client;

/**
 * What the status line says of the DHT: {@code dht 37 nodes, 2 peers}.
 *
 * @param nodes the nodes in our routing table now
 * @param peersFound the distinct peers the DHT's lookups handed to the swarm so far
 */
public record DhtStatus(int nodes, int peersFound) {}
