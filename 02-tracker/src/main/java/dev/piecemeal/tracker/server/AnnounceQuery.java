package dev.piecemeal.tracker.server;

import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.tracker.AnnounceEvent;
import dev.piecemeal.tracker.PeerId;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An announce as the tracker reads it from the query string (BEP 3, "trackers"; BEP 23): the other
 * side of {@link dev.piecemeal.tracker.AnnounceUrl}. Every field is checked here, so a query that
 * is not an announce never reaches {@link TrackedTorrents}.
 *
 * <pre>
 * info_hash=%124Vx...   20 bytes after percent-decoding, else refused
 * peer_id=-PM0100-...   20 bytes after percent-decoding, else refused
 * port=6881             1..65535, required
 * uploaded=0            decimal, 0 or more, required
 * downloaded=0          decimal, 0 or more, required
 * left=1048576          decimal, 0 or more, required; 0 makes the peer a seeder
 * event=started         started, completed, stopped, empty or absent (a regular announce)
 * compact=1             1: compact peers (BEP 23); absent or 0: the list of dictionaries
 * numwant=50            0 or more; absent: the tracker's default
 * </pre>
 *
 * <p>Parameters a client may send and this tracker does not read: {@code key} and {@code
 * trackerid} (see {@link TrackedTorrents} for how a peer is recognised), {@code no_peer_id}, and
 * {@code ip}, which is ignored on purpose: a tracker that believed it would let anyone point a
 * whole swarm at a third party's address. The address a peer is given out at is the one its
 * request came from.
 *
 * @param numwant how many peers the client asked for, when it said; the tracker caps it
 * @param compact whether the client asked for the compact peer list
 */
public record AnnounceQuery(
    InfoHash infoHash,
    PeerId peerId,
    int port,
    long uploaded,
    long downloaded,
    long left,
    AnnounceEvent event,
    OptionalInt numwant,
    boolean compact) {

  public AnnounceQuery {
    Objects.requireNonNull(infoHash, "infoHash");
    Objects.requireNonNull(peerId, "peerId");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(numwant, "numwant");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is not in 1..65535");
    }
    if (uploaded < 0 || downloaded < 0 || left < 0) {
      throw new IllegalArgumentException("uploaded, downloaded and left must not be negative");
    }
    if (numwant.isPresent() && numwant.getAsInt() < 0) {
      throw new IllegalArgumentException("numwant " + numwant.getAsInt() + " is negative");
    }
  }

  /**
   * Reads and checks an announce's raw query string ({@code URI.getRawQuery()}).
   *
   * @throws AnnounceRefusedException naming the first parameter that is missing or wrong
   */
  public static AnnounceQuery parse(String rawQuery) throws AnnounceRefusedException {
    QueryString query = QueryString.parse(rawQuery);
    InfoHash infoHash = InfoHash.fromBytes(twentyBytes(query, "info_hash"));
    PeerId peerId = PeerId.fromBytes(twentyBytes(query, "peer_id"));
    int port = (int) number(query, "port", 1, 65535);
    long uploaded = number(query, "uploaded", 0, Long.MAX_VALUE);
    long downloaded = number(query, "downloaded", 0, Long.MAX_VALUE);
    long left = number(query, "left", 0, Long.MAX_VALUE);
    AnnounceEvent event = event(query);
    OptionalInt numwant = query.text("numwant").isPresent()
        ? OptionalInt.of((int) number(query, "numwant", 0, Integer.MAX_VALUE))
        : OptionalInt.empty();
    boolean compact = query.text("compact").filter("1"::equals).isPresent();
    return new AnnounceQuery(
        infoHash, peerId, port, uploaded, downloaded, left, event, numwant, compact);
  }

  /** A binary parameter that must be exactly 20 bytes once decoded. */
  private static byte[] twentyBytes(QueryString query, String name) throws AnnounceRefusedException {
    byte[] bytes = query.bytes(name)
        .orElseThrow(() -> new AnnounceRefusedException("missing parameter " + name));
    if (bytes.length != 20) {
      throw new AnnounceRefusedException(
          name + " is " + bytes.length + " bytes, expected 20 (percent-encoded raw bytes, not hex)");
    }
    return bytes;
  }

  /**
   * A required decimal parameter in {@code min..max}. Digits only, so "-1", "+5" and "1e3" are
   * refused by name rather than read some other way.
   */
  private static long number(QueryString query, String name, long min, long max)
      throws AnnounceRefusedException {
    String text = query.text(name)
        .orElseThrow(() -> new AnnounceRefusedException("missing parameter " + name));
    if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new AnnounceRefusedException(name + " '" + shortened(text) + "' is not a decimal number");
    }
    long value;
    try {
      value = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new AnnounceRefusedException(name + " " + shortened(text) + " is not in " + min + ".." + max);
    }
    if (value < min || value > max) {
      throw new AnnounceRefusedException(name + " " + value + " is not in " + min + ".." + max);
    }
    return value;
  }

  /** BEP 3's four events; an empty value is the regular announce, as if none were sent. */
  private static AnnounceEvent event(QueryString query) throws AnnounceRefusedException {
    Optional<String> text = query.text("event");
    if (text.isEmpty() || text.get().isEmpty()) {
      return AnnounceEvent.NONE;
    }
    for (AnnounceEvent event : AnnounceEvent.values()) {
      if (event != AnnounceEvent.NONE && event.wireName().equals(text.get())) {
        return event;
      }
    }
    throw new AnnounceRefusedException(
        "event '" + shortened(text.get()) + "' is not started, completed or stopped");
  }

  /** Untrusted text in a message: at most 40 characters of it. */
  private static String shortened(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}
