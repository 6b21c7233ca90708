/**
 * The mainline DHT (BEP 5): finding peers without a tracker. Every part here is pure: no socket,
 * no thread, time a clock passed in, so that each is tested alone, except the
 * {@link dev.piecemeal.client.dht.DhtNode}, whose socket loop puts them together:
 *
 * <pre>
 * packet in ──► QueryRateLimiter.allow(ip)?  ──► KrpcDecoder.decode(packet, pending::query)
 *                                                 │
 *   a Query     ──► RoutingTable.queriedUs; answer it:
 *                     ping           → IdResponse
 *                     find_node      → FindNodeResponse(table.closest(target, 8))
 *                     get_peers      → GetPeersResponse(Tokens.issue unless PeerStore.isFull,
 *                                                       PeerStore.peers, table.closest)
 *                     announce_peer  → Tokens.accepts? PeerStore.announce, IdResponse : error 203
 *                     Unknown        → KrpcError.methodUnknown (204)
 *   a Response  ──► RoutingTable.responded; the Lookup waiting for it: Lookup.answered
 *   a KrpcError ──► the Lookup waiting for it: Lookup.failed
 *   KrpcException with a queryTransaction ──► KrpcError.protocol (203); any other: dropped
 *
 * every turn: Lookup.nextQueries ──► KrpcEncoder.encode ──► packet out; a query unanswered for
 *             a few seconds ──► Lookup.failed, RoutingTable.failed
 * every minute: RoutingTable.refreshTargets ──► a find_node Lookup each;
 *               RoutingTable.nodesToPing ──► a ping each
 * </pre>
 *
 * Start: {@link dev.piecemeal.client.dht.SavedTable} (or a bootstrap node, pinged for its id), then
 * a {@code find_node} lookup for our own id. A torrent: a {@code get_peers}
 * {@link dev.piecemeal.client.dht.Lookup} for its info-hash, whose peers go to the swarm and whose
 * closest nodes get {@code announce_peer} with their tokens.
 */
package dev.piecemeal.client.dht;
