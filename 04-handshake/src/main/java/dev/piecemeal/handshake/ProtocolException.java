package dev.piecemeal.handshake;

/**
 * A peer broke the peer wire protocol: a wrong handshake, a message of the wrong length, a length
 * prefix larger than any legal message. The connection to that peer ends; the download goes on.
 * The message says what was wrong and, where the caller knows it, which peer sent it.
 */
public class ProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  public ProtocolException(String message) {
    super(message);
  }

  public ProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
