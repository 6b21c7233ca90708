package dev.piecemeal.client.demo;

/**
 * The demo could not finish, and why, in words for the one {@code error: …} line the command
 * prints: {@code port 6969 (the tracker, TCP and UDP) is taken: Address already in use}.
 */
public final class DemoException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean portTaken;

  public DemoException(String message) {
    this(message, null, false);
  }

  public DemoException(String message, Throwable cause) {
    this(message, cause, false);
  }

  private DemoException(String message, Throwable cause, boolean portTaken) {
    super(message, cause);
    this.portTaken = portTaken;
  }

  /** {@code port 6891 (seeder 1) is taken: Address already in use}. */
  static DemoException portTaken(int port, String whose, String reason) {
    return new DemoException("port " + port + " (" + whose + ") is taken" + (reason.isEmpty() ? "" : ": " + reason),
        null, true);
  }

  /** Whether a port the demo was told to use is taken: other ports may work. */
  public boolean isPortTaken() {
    return portTaken;
  }
}
