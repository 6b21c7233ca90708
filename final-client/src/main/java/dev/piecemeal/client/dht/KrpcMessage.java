package dev.piecemeal.client.dht;

import java.util.Objects;
import java.util.Optional;

/**
 * One KRPC message: the bencoded dictionary a DHT node sends in one UDP packet (BEP 5, "KRPC
 * protocol"). Every message has a transaction id {@code t}, a type {@code y} and, optionally, the
 * sender's software {@code v}; what else it holds depends on the type, which is the {@link Body}:
 *
 * <pre>
 * y = "q"   a {@link Query}: {@code q} names the method, {@code a} holds its arguments
 * y = "r"   a {@link Response}: {@code r} holds the return values
 * y = "e"   a {@link KrpcError}: {@code e} is [code, message]
 * </pre>
 *
 * BEP 5's ping, key by key (keys sorted, as bencode requires):
 *
 * <pre>
 * d
 *   1:a d 2:id 20:abcdefghij0123456789 e     arguments: the sender's node id
 *   1:q 4:ping                               the method
 *   1:t 2:aa                                 transaction id "aa"
 *   1:y 1:q                                  a query
 * e
 * </pre>
 *
 * <p>{@link KrpcEncoder} writes these, {@link KrpcDecoder} reads them and checks every field.
 *
 * @param transaction {@code t}: chosen by the querier, echoed by the response or error
 * @param body the query, response or error
 * @param version {@code v}, when the sender said which software it is
 */
public record KrpcMessage(TransactionId transaction, Body body, Optional<ClientVersion> version) {

  /** What a message says: one of the three types of {@code y}. */
  public sealed interface Body permits Query, Response, KrpcError {}

  public KrpcMessage {
    Objects.requireNonNull(transaction, "transaction");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(version, "version");
  }

  /** A message of ours: with our {@code v}, {@link ClientVersion#PIECEMEAL}. */
  public static KrpcMessage ours(TransactionId transaction, Body body) {
    return new KrpcMessage(transaction, body, Optional.of(ClientVersion.PIECEMEAL));
  }
}
