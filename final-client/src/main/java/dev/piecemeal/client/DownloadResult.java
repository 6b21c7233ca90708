package dev.piecemeal.client;

import java.nio.file.Path;
import dev.piecemeal.tracker.PeerAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How a download ended without failing: complete, or stopped on request (Ctrl-C).
 *
 * @param complete every piece is verified on disk
 * @param stopped it ended because {@link Download#stop} was called (Ctrl-C), complete or not
 * @param totalLength the torrent's size in bytes
 * @param bytesFetched bytes of blocks received and kept in this run (duplicates not counted)
 * @param piecesFetched pieces verified and written in this run
 * @param piecesOnDiskAtStart pieces found verified on disk before this run fetched anything
 * @param pieceCount the torrent's number of pieces
 * @param elapsed from the first announce to the end
 * @param peersUsed how many peers sent at least one block we kept
 * @param location the file or folder the torrent's data is in
 * @param banned the peers banned for sending data that failed hash checks
 * @param bytesUploaded bytes of blocks we sent to peers in this run
 * @param seeding how long it seeded once every piece was verified (with {@code seed}); zero if not
 */
public record DownloadResult(
    boolean complete,
    boolean stopped,
    long totalLength,
    long bytesFetched,
    int piecesFetched,
    int piecesOnDiskAtStart,
    int pieceCount,
    Duration elapsed,
    int peersUsed,
    Path location,
    Set<PeerAddress> banned,
    long bytesUploaded,
    Duration seeding) {

  public DownloadResult {
    banned = Set.copyOf(banned);
    Objects.requireNonNull(seeding, "seeding");
  }

  /** How long the download took: the whole run without the seeding after it. */
  public Duration downloading() {
    return elapsed.minus(seeding);
  }

  /** Bytes fetched per second while downloading (the seeding after it left out). */
  public double averageBytesPerSecond() {
    double seconds = Math.max(downloading().toNanos() / 1e9, 1e-3);
    return bytesFetched / seconds;
  }
}
