package dev.piecemeal.client.magnet;

import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.tracker.PeerAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a magnet link says (BEP 9, "magnet URI format"): which torrent, by its info-hash alone, and
 * hints of where to find it. The files, sizes and piece hashes are not in the link; a client asks
 * peers for them with {@link MetadataMessage ut_metadata} and checks them against the info-hash.
 *
 * <pre>
 * magnet:?xt=urn:btih:d2354010a3ca4ade5b7427bb093a62a3899ff381     the info-hash: 40 hex or 32 base32
 *        &amp;dn=Display%20Name                                        a name to show until the metadata comes
 *        &amp;tr=http%3A%2F%2Ftracker.example%2Fannounce              a tracker (any number, each its own tier)
 *        &amp;x.pe=192.0.2.7:6881                                     a peer to dial (any number)
 *        &amp;ws=http%3A%2F%2Fseed.example%2Ffile                     a web seed (BEP 19): noted, not used
 *        &amp;so=0,2-4                                               select only these files (BEP 53): noted
 * </pre>
 *
 * <p>{@link #parse} reads one; the rules it follows are {@link MagnetParser}'s.
 *
 * <p>Simplified: {@code ws}, {@code so} and a hybrid's v2 hash are kept to be shown, not used.
 * libtorrent downloads from web seeds too (BEP 19) and only the files {@code so} selects (BEP
 * 53); Piecemeal downloads every file from peers, which is what this book is about.
 *
 * @param infoHash the torrent's v1 identity, from {@code xt=urn:btih:}
 * @param displayName {@code dn}, percent-decoded; only a hint, and never a safe path: it may hold
 *     {@code /} or NUL (the metadata's {@code name} is checked, this is not)
 * @param trackers {@code tr} URLs, percent-decoded, in the link's order, each once, only {@code
 *     http}, {@code https} and {@code udp}
 * @param peers {@code x.pe} addresses, each once
 * @param webSeeds {@code ws} URLs: noted, not used (Piecemeal downloads from peers only)
 * @param selectOnly {@code so} file indexes as sorted, merged ranges: noted, not used (Piecemeal
 *     downloads every file)
 * @param v2InfoHash the 64 hex digits of a hybrid link's {@code xt=urn:btmh:1220…}: noted, not used
 *     (Piecemeal speaks v1)
 */
public record MagnetLink(
    InfoHash infoHash,
    Optional<String> displayName,
    List<String> trackers,
    List<PeerAddress> peers,
    List<String> webSeeds,
    List<FileRange> selectOnly,
    Optional<String> v2InfoHash) {

  /**
   * The longest link read, in characters: 64 KiB holds 200 trackers of 300 characters. Checked
   * before anything else, so that a link pasted from anywhere costs at most this much to look at.
   */
  public static final int MAX_LENGTH = 65_536;

  /**
   * The most {@code tr} parameters a link may have. Public tracker lists that people paste into
   * links run to about 100; every tracker is an announce a download makes, so many more would be
   * a link made to keep a client busy, not one made to be useful.
   */
  public static final int MAX_TRACKERS = 200;

  /** The most {@code x.pe} parameters a link may have: every peer is a connection to try. */
  public static final int MAX_PEERS = 200;

  public MagnetLink {
    Objects.requireNonNull(infoHash, "infoHash");
    Objects.requireNonNull(displayName, "displayName");
    trackers = List.copyOf(trackers);
    peers = List.copyOf(peers);
    webSeeds = List.copyOf(webSeeds);
    selectOnly = merged(selectOnly);
    Objects.requireNonNull(v2InfoHash, "v2InfoHash");
    if (trackers.size() > MAX_TRACKERS) {
      throw new IllegalArgumentException(trackers.size() + " trackers, more than " + MAX_TRACKERS);
    }
    if (peers.size() > MAX_PEERS) {
      throw new IllegalArgumentException(peers.size() + " peers, more than " + MAX_PEERS);
    }
    if (v2InfoHash.isPresent() && !v2InfoHash.get().matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("a v2 info-hash is 64 lowercase hex digits, not " + v2InfoHash.get());
    }
  }

  /**
   * Reads a magnet link.
   *
   * @throws MagnetException the text is not a magnet link, names no v1 info-hash, or is
   *     malformed; the message names the parameter and the offset
   */
  public static MagnetLink parse(String link) throws MagnetException {
    return MagnetParser.parse(link);
  }

  /**
   * True when {@code text} begins with {@code magnet:} in any case: the test a command uses to
   * tell a link from a file name.
   */
  public static boolean looksLikeOne(String text) {
    return text.regionMatches(true, 0, "magnet:", 0, "magnet:".length());
  }

  /**
   * The trackers as BEP 12 tiers, one tracker per tier in the link's order: a link has no tiers,
   * and libtorrent and Transmission read its {@code tr}s this way too.
   */
  public List<List<String>> trackerTiers() {
    List<List<String>> tiers = new ArrayList<>();
    for (String tracker : trackers) {
      tiers.add(List.of(tracker));
    }
    return List.copyOf(tiers);
  }

  /**
   * File indexes {@code first} to {@code last}, both included, from BEP 53's {@code so=0,2-4}.
   * Kept as ranges, not one number per file: {@code so=0-2000000000} is 18 characters.
   */
  public record FileRange(int first, int last) {
    public FileRange {
      if (first < 0 || last < first) {
        throw new IllegalArgumentException("file range " + first + "-" + last);
      }
    }

    @Override
    public String toString() {
      return first == last ? Integer.toString(first) : first + "-" + last;
    }
  }

  /** Sorted, with overlapping and touching ranges joined: {@code 2-4,0,3-5} → {@code 0,2-5}. */
  private static List<FileRange> merged(List<FileRange> ranges) {
    List<FileRange> sorted = new ArrayList<>(ranges);
    sorted.sort(Comparator.comparingInt(FileRange::first));
    List<FileRange> merged = new ArrayList<>();
    for (FileRange range : sorted) {
      FileRange previous = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (previous != null && range.first() <= (long) previous.last() + 1) {
        merged.set(merged.size() - 1,
            new FileRange(previous.first(), Math.max(previous.last(), range.last())));
      } else {
        merged.add(range);
      }
    }
    return List.copyOf(merged);
  }
}
