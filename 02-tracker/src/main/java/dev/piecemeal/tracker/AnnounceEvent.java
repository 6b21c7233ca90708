package dev.piecemeal.tracker;

/**
 * Why a client announces: the {@code event} of an announce (BEP 3, "trackers"; BEP 15, "announce").
 * HTTP trackers get the wire name as text, UDP trackers get the number.
 *
 * <pre>
 * event      HTTP                 UDP
 * NONE       (parameter left out) 0   a regular re-announce
 * COMPLETED  event=completed      1   the download just finished
 * STARTED    event=started        2   the first announce of a download
 * STOPPED    event=stopped        3   the client is leaving the swarm
 * </pre>
 *
 * <p>A closed family without data, so an enum is enough.
 */
public enum AnnounceEvent {
  NONE("", 0),
  COMPLETED("completed", 1),
  STARTED("started", 2),
  STOPPED("stopped", 3);

  private final String wireName;
  private final int udpNumber;

  AnnounceEvent(String wireName, int udpNumber) {
    this.wireName = wireName;
    this.udpNumber = udpNumber;
  }

  /** The value of the HTTP {@code event} parameter; empty for {@link #NONE}, which is not sent. */
  public String wireName() {
    return wireName;
  }

  /** The number in a BEP 15 announce packet. */
  public int udpNumber() {
    return udpNumber;
  }

  /**
   * The event named {@code started}, {@code completed}, {@code stopped} or {@code none}, as typed on
   * a command line.
   *
   * @throws IllegalArgumentException naming the text when it is none of these
   */
  public static AnnounceEvent fromName(String name) {
    for (AnnounceEvent event : values()) {
      if (event.name().equalsIgnoreCase(name)) {
        return event;
      }
    }
    throw new IllegalArgumentException(
        "'" + name + "' is not an announce event (started, completed, stopped, none)");
  }
}
