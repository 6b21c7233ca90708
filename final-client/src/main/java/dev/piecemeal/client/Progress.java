package dev.piecemeal.client;

import java.time.Duration;
import java.util.Optional;

/**
 * The counters a status line shows: bytes verified of the total, the download rate over the last
 * few seconds, peers connected and unchoking us, and from those an ETA; and for the trackers, the
 * bytes uploaded, downloaded and left ({@link TransferCounters}).
 *
 * <p>Thread-safe: peer threads add bytes, the hasher adds pieces, the status thread reads a
 * {@link Snapshot}; every method is {@code synchronized} and only does arithmetic.
 */
public final class Progress implements TransferCounters {

  /**
   * One moment of a download, for printing.
   *
   * @param bytesDone bytes of verified pieces (on disk at start, or fetched since)
   * @param totalLength the torrent's size
   * @param piecesDone verified pieces
   * @param pieceCount the torrent's pieces
   * @param bytesPerSecond the download rate over the last few seconds
   * @param peersConnected peers with a session open (handshake done)
   * @param peersUnchoking of those, how many let us request blocks now
   * @param elapsed since the download started
   * @param bytesUploaded bytes of blocks we sent peers
   * @param uploadBytesPerSecond the upload rate over the last few seconds
   * @param peersInterested peers that want our data
   * @param peersUnchokedByUs of those, how many hold one of our upload slots
   */
  public record Snapshot(
      long bytesDone,
      long totalLength,
      int piecesDone,
      int pieceCount,
      double bytesPerSecond,
      int peersConnected,
      int peersUnchoking,
      Duration elapsed,
      long bytesUploaded,
      double uploadBytesPerSecond,
      int peersInterested,
      int peersUnchokedByUs) {

    /** Percent done, 0 to 100. */
    public double percent() {
      return totalLength == 0 ? 100 : 100.0 * bytesDone / totalLength;
    }

    /** Uploaded bytes over the torrent's size: 1.0 means we gave back one whole copy. */
    public double ratio() {
      return totalLength == 0 ? 0 : (double) bytesUploaded / totalLength;
    }

    /** How long the rest takes at the current rate; empty while nothing arrives. */
    public Optional<Duration> eta() {
      long left = totalLength - bytesDone;
      if (left <= 0) {
        return Optional.of(Duration.ZERO);
      }
      if (bytesPerSecond < 1) {
        return Optional.empty();
      }
      return Optional.of(Duration.ofSeconds((long) Math.ceil(left / bytesPerSecond)));
    }
  }

  private final long totalLength;
  private final int pieceCount;
  private final long startedNanos;
  private final RateMeter rate;
  private final RateMeter uploadRate;
  private long bytesDone;
  private int piecesDone;
  private long bytesFetched;
  private long bytesUploaded;
  private int piecesFetched;
  private long lastBlockNanos;

  Progress(long totalLength, int pieceCount, long nowNanos) {
    this.totalLength = totalLength;
    this.pieceCount = pieceCount;
    this.startedNanos = nowNanos;
    this.rate = new RateMeter(5_000_000_000L, nowNanos);
    this.uploadRate = new RateMeter(5_000_000_000L, nowNanos);
  }

  /** Pieces found good on disk before the download began. */
  synchronized void onDisk(int pieces, long bytes) {
    piecesDone += pieces;
    bytesDone += bytes;
  }

  /** A block we wanted arrived. */
  synchronized void blockReceived(int length, long nowNanos) {
    bytesFetched += length;
    rate.add(length, nowNanos);
    lastBlockNanos = nowNanos;
  }

  /** We sent a peer a block. */
  synchronized void blockSent(int length, long nowNanos) {
    bytesUploaded += length;
    uploadRate.add(length, nowNanos);
  }

  /** A piece was verified and written. */
  synchronized void pieceVerified(int length) {
    piecesDone++;
    piecesFetched++;
    bytesDone += length;
  }

  /** Whether any wanted block has arrived yet. */
  synchronized boolean anyBlockFetched() {
    return bytesFetched > 0;
  }

  /** When the last wanted block arrived (System.nanoTime), or when counting began. */
  synchronized long lastBlockNanos() {
    return bytesFetched == 0 ? startedNanos : lastBlockNanos;
  }

  @Override
  public synchronized long uploaded() {
    return bytesUploaded;
  }

  @Override
  public synchronized long downloaded() {
    return bytesFetched;
  }

  synchronized int piecesFetched() {
    return piecesFetched;
  }

  synchronized int piecesDone() {
    return piecesDone;
  }

  @Override
  public synchronized long left() {
    return totalLength - bytesDone;
  }

  synchronized Snapshot snapshot(int peersConnected, int peersUnchoking, int peersInterested,
      int peersUnchokedByUs, long nowNanos) {
    return new Snapshot(bytesDone, totalLength, piecesDone, pieceCount, rate.bytesPerSecond(nowNanos),
        peersConnected, peersUnchoking, Duration.ofNanos(nowNanos - startedNanos), bytesUploaded,
        uploadRate.bytesPerSecond(nowNanos), peersInterested, peersUnchokedByUs);
  }
}
