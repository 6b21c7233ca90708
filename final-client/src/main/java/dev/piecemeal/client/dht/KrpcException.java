package dev.piecemeal.client.dht;

import java.util.Optional;

/**
 * A packet that is not a KRPC message we can use: not bencode, a field missing or of the wrong
 * size, a response to no query of ours. The message names the field the way a reader finds it in
 * the packet, then the byte offset of its value when there is one:
 * {@code r.nodes: 27 bytes, not a whole number of 26-byte nodes at offset 34}.
 *
 * <p>When the packet was a query whose transaction id could be read, {@link #queryTransaction()}
 * holds it, so that the node can answer with error 203 ("Protocol Error") as BEP 5 asks, instead
 * of leaving the querier to time out.
 */
public class KrpcException extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient TransactionId queryTransaction;

  /** A packet that could not be read far enough to be answered. */
  public KrpcException(String message) {
    this(message, null);
  }

  /**
   * A problem in a query whose transaction id is known ({@code queryTransaction}), or in any other
   * packet when it is null.
   */
  public KrpcException(String message, TransactionId queryTransaction) {
    super(message);
    this.queryTransaction = queryTransaction;
  }

  /** The transaction id of the malformed query, to send error 203 under; empty otherwise. */
  public Optional<TransactionId> queryTransaction() {
    return Optional.ofNullable(queryTransaction);
  }
}
