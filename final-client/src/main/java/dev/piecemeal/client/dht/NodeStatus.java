package dev.piecemeal.client.dht;

/**
 * What the routing table thinks of a node, by BEP 5's rule ("routing table"):
 *
 * <pre>
 * GOOD           answered one of our queries in the last 15 minutes, or has answered us at
 *                some time and sent us a query in the last 15 minutes
 * QUESTIONABLE   15 minutes without a sign of life: worth a ping before it is trusted again
 * BAD            did not answer our last {@value RoutingTable#BAD_AFTER_FAILURES} queries in a row;
 *                the first to be replaced
 * </pre>
 *
 * A bad node stays bad even if it queries us: it sends, but a lookup needs nodes that answer.
 */
public enum NodeStatus {
  GOOD,
  QUESTIONABLE,
  BAD
}
