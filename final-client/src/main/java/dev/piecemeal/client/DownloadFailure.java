package dev.piecemeal.client;

/**
 * A download that cannot go on: for {@link #giveUpAfter} nothing arrived, and {@link #reason()}
 * says which of the usual causes it was. The message says it in a person's words, and what is
 * already saved: {@code no tracker answered (…); 12 of 40 pieces (30%) are saved in DIR and a
 * later run resumes from them}.
 */
public final class DownloadFailure extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why no progress was possible. */
  public enum Reason {
    /** The torrent names trackers, none answered, and no peer was given otherwise. */
    NO_TRACKER_ANSWERED,
    /** Peers were known, but none could be connected to and shake hands. */
    NO_PEER_REACHABLE,
    /** Peers are connected, but none has any of the pieces we lack. */
    NO_PEER_HAS_THE_MISSING_PIECES,
    /** Peers have pieces we lack, but sent nothing (they keep us choked, or stall). */
    PEERS_SEND_NOTHING,
    /** Only seeding was asked for, and pieces are missing from the data on disk. */
    INCOMPLETE_DATA
  }

  private final Reason reason;

  public DownloadFailure(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** Which cause it was. */
  public Reason reason() {
    return reason;
  }
}
