package dev.piecemeal.client.dht;

import java.util.Objects;

/**
 * A KRPC error ({@code y = "e"}): {@code e} is a list of a code and a message (BEP 5, "errors").
 *
 * <pre>
 * d 1:e l i201e 23:A Generic Error Ocurred e 1:t 2:aa 1:y 1:e e
 * </pre>
 *
 * BEP 5 names four codes, kept here as constants. Any other integer is accepted from others (BEP 44
 * adds 205 to 207 and 301 to 302, which libtorrent sends): the code is information for a log line,
 * and an error means the same to a lookup whatever its number.
 *
 * @param code the error code
 * @param message the text, for people; invalid UTF-8 from others shown as U+FFFD
 */
public record KrpcError(long code, String message) implements KrpcMessage.Body {
  /** 201: a generic error. */
  public static final int GENERIC = 201;
  /** 202: the server failed. */
  public static final int SERVER = 202;
  /** 203: a malformed packet, invalid arguments, or a bad token. */
  public static final int PROTOCOL = 203;
  /** 204: a method the node does not know. */
  public static final int METHOD_UNKNOWN = 204;

  public KrpcError {
    Objects.requireNonNull(message, "message");
  }

  /** 203, for a query we could read enough of to answer but not to serve. */
  public static KrpcError protocol(String message) {
    return new KrpcError(PROTOCOL, message);
  }

  /** 204, the answer to an {@link Query.Unknown} query. */
  public static KrpcError methodUnknown(String method) {
    return new KrpcError(METHOD_UNKNOWN, "Method Unknown: " + method);
  }
}
