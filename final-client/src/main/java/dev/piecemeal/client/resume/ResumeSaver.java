package dev.piecemeal.client.resume;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.bitfield.Bitfield;
import dev.piecemeal.client.resume.ResumeRecord.FileStamp;
import dev.piecemeal.storage.StorageException;
import dev.piecemeal.storage.TorrentStorage;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Saves a download's resume data: every 30 s or every 128 MiB verified, whichever comes first,
 * from the engine's turn, and once more at exit. Each save is also the download's flush: storage
 * flushes nothing per piece ({@link TorrentStorage.Flushing#BY_CALLER}), so a gigabyte of 1 MiB
 * pieces costs about nine flushes of each file it touched (one every 128 MiB, one at exit) instead
 * of 1,024.
 *
 * <pre>
 * hasher threads:  piece written → pieceVerified(p)            (only into the page cache)
 * a save:          1. snapshot = the pieces verified so far
 *                  2. storage.flush()                         every piece of the snapshot on the disk
 *                  3. stamp every file (size, modified)       after the flush, so the flush's own
 *                                                             changes are in the stamps
 *                  4. write the record: temporary file, force, rename, flush the folder (ResumeFile)
 * </pre>
 *
 * <p>Why a record that {@link ResumeCheck} finds matching can be trusted, and why {@code kill -9}
 * (or a power cut) at any moment never makes a piece count as verified that is not on disk intact:
 *
 * <ul>
 *   <li>A piece is in a record only if it was in the snapshot of step 1, so it was verified and its
 *       write had returned before the flush of step 2 began; the flush returned before the record
 *       was written in step 4. So every piece a record names was on the disk before the record
 *       existed, whatever happens after.
 *   <li>The record replaces the old one by an atomic rename after its own bytes are flushed: a kill
 *       at any point leaves the old record (naming only pieces flushed before it) or the new one,
 *       never a mix; a file cut short is refused by {@link ResumeCodec}, never half-believed.
 *   <li>Piecemeal never writes into a piece it has verified: only pieces it lacks are begun, and
 *       a piece put together on disk writes only its own blocks. So pieces written after a save
 *       (whole, half, or killed mid-write) lie outside every piece the record names; they are not in
 *       the record, so they count as missing and are fetched again (or found by the full recheck).
 *   <li>Those later writes also change the file's modification time, so after a {@code kill -9}
 *       the record usually no longer matches and the download rechecks everything; that costs
 *       time, never correctness, since the previous point holds even when the stamp still matches
 *       (a write within the file system's clock tick of the save).
 *   <li>Anything else that changes a file, another program or a person (truncating, replacing,
 *       editing), changes its size or its modification time, and then nothing is trusted.
 * </ul>
 *
 * <p>Simplified: what this cannot see is a change by another program that keeps the file's size and
 * lands within one tick of the file system's clock after our save (a few milliseconds on ext4, two
 * seconds on FAT), or that sets the modification time back on purpose. libtorrent trusts the same
 * two numbers; {@code piecemeal verify} rehashes everything, and a bad piece served to a peer is
 * caught by its hash check there.
 *
 * <p>Thread-safe: {@link #pieceVerified} (hasher threads) takes the saver's monitor, a leaf; a save
 * (the engine's turn, then {@link #close}) takes a lock of its own, held across the flush and the
 * write but never while taking another part's lock: see {@code SharedState}.
 */
public final class ResumeSaver {
  /** Save at least this often while pieces are being verified. */
  public static final Duration EVERY = Duration.ofSeconds(30);
  /** And whenever this many bytes were verified since the last save. */
  public static final long BYTES_EVERY = 128L << 20;

  private final ResumeFile file;
  private final Metainfo metainfo;
  private final TorrentStorage storage;
  private final Consumer<String> log;
  private final Object saving = new Object();
  /** Guarded by this: the pieces verified and written, flushed or not. */
  private final Bitfield verified;
  private boolean changed;
  private long bytesSinceSave;
  private long lastSaveNanos;

  /**
   * @param verified the pieces on disk at start (trusted resume data, or a recheck's)
   * @param changed whether they are not in a record yet (they came from a recheck)
   * @param now the time now, as {@code System.nanoTime()}: the first 30 s count from it
   */
  ResumeSaver(ResumeFile file, Metainfo metainfo, TorrentStorage storage, Bitfield verified, boolean changed,
      long now, Consumer<String> log) {
    this.file = file;
    this.metainfo = metainfo;
    this.storage = storage;
    this.verified = verified.copy();
    this.changed = changed;
    this.lastSaveNanos = now;
    this.log = log;
  }

  /** Piece {@code piece} was verified and written (its write has returned). From any thread. */
  public synchronized void pieceVerified(int piece) {
    if (verified.set(piece)) {
      changed = true;
      bytesSinceSave += metainfo.pieceSize(piece);
    }
  }

  /**
   * The engine's turn: saves if a piece was verified and 30 s or 128 MiB have passed since the last
   * save.
   *
   * <p>Simplified: the save runs on the caller's thread, and the engine's turn waits for its flush
   * (the kernel has usually written most of the 128 MiB back by then). libtorrent saves from its
   * disk threads while the network goes on; on the turn, the whole order of a save stays in one
   * method, and nothing the turn does (choking, redials) is urgent to the millisecond.
   */
  public void maybeSave(long now) {
    boolean due;
    synchronized (this) {
      due = changed && (bytesSinceSave >= BYTES_EVERY || now - lastSaveNanos >= EVERY.toNanos());
    }
    if (due) {
      save(now);
    }
  }

  // tag::save[]
  /**
   * Flushes the files and writes the record of what was verified before the flush began: the four
   * steps of the class comment. A failure is logged and tried again at the next save; the record
   * on disk stays the previous one.
   *
   * @return the pieces the record now says are verified, or -1 if the save failed
   */
  public int save(long now) {
    synchronized (saving) {
      Bitfield snapshot;
      synchronized (this) { // 1. what was verified so far; later pieces wait for the next save
        snapshot = verified.copy();
        changed = false;
        bytesSinceSave = 0;
        lastSaveNanos = now;
      }
      try {
        storage.flush(); // 2. every piece of the snapshot is on the disk
        List<FileStamp> stamps = ResumeCheck.stamps(metainfo, storage::pathOf); // 3. after the flush
        file.write(ResumeCodec.encode(new ResumeRecord(ResumeRecord.VERSION, metainfo.infoHash(),
            metainfo.pieceLength(), metainfo.pieceCount(), stamps, snapshot))); // 4. atomically
        return snapshot.cardinality();
      } catch (StorageException | IOException e) {
        synchronized (this) {
          changed = true; // the next save tries again
        }
        log.accept("resume data not saved: " + e.getMessage());
        return -1;
      }
    }
  }
  // end::save[]

  /**
   * At exit, once no piece can be written any more (the hasher is closed): the last save, if a
   * piece was verified since the one before. Silent unless it fails: the run's last line says what
   * is saved.
   */
  public void close() {
    boolean unsaved;
    synchronized (this) {
      unsaved = changed;
    }
    if (unsaved) {
      save(System.nanoTime());
    }
  }
}
