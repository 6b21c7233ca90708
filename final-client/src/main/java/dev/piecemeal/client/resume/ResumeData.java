package dev.piecemeal.client.resume;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.bitfield.Bitfield;
import dev.piecemeal.storage.DownloadFolder;
import dev.piecemeal.storage.RecheckResult;
import dev.piecemeal.storage.StorageException;
import dev.piecemeal.storage.TorrentStorage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the engine asks of resume data, in the order it asks: {@link #load} before the files are
 * opened (so the stamps are of the files as the last run left them, before storage cuts or extends
 * one), {@link #onDisk} instead of a recheck when the record can be trusted, then a {@link
 * ResumeSaver} for the rest of the run.
 *
 * <pre>
 * resume data: 512 of 1024 pieces trusted, no recheck
 * resume data ignored: big.bin was modified since the resume data was saved (…); rechecking every piece
 * </pre>
 *
 * <p>Without a state folder (a library caller that set none) there is no resume data: every start
 * rechecks, and nothing is written.
 */
public final class ResumeData {

  /** A full recheck, as the engine runs it. */
  @FunctionalInterface
  public interface Recheck {
    RecheckResult run() throws StorageException, InterruptedException;
  }

  private final Metainfo metainfo;
  private final Consumer<String> log;
  /** Null when resume data is off. */
  private final ResumeFile file;
  /** The pieces to trust, or null. */
  private final Bitfield trusted;
  /** Why the record was not trusted, or null (none, or trusted). */
  private final String ignoredBecause;
  private boolean rechecked;

  private ResumeData(Metainfo metainfo, Consumer<String> log, ResumeFile file, Bitfield trusted, String ignoredBecause) {
    this.metainfo = metainfo;
    this.log = log;
    this.file = file;
    this.trusted = trusted;
    this.ignoredBecause = ignoredBecause;
  }

  /**
   * Finds and checks the resume data of {@code metainfo} downloaded into {@code outputFolder}; call
   * it before the torrent's storage is opened. Logs one line if resume data is off for a reason
   * (the state folder overlaps the output folder).
   *
   * @param stateFolder Piecemeal's state folder; empty: no resume data
   */
  public static ResumeData load(Metainfo metainfo, Optional<Path> stateFolder, Path outputFolder, Consumer<String> log) {
    if (stateFolder.isEmpty()) {
      return new ResumeData(metainfo, log, null, null, null);
    }
    ResumeFile file;
    try {
      file = ResumeFile.locate(stateFolder.get(), metainfo.infoHash(), outputFolder);
    } catch (ResumeException e) {
      log.accept("resume data off: " + e.getMessage());
      return new ResumeData(metainfo, log, null, null, null);
    }
    try {
      Optional<ResumeRecord> record = file.read(
          ResumeCodec.maxLength(metainfo.pieceCount(), ResumeCheck.filesOnDisk(metainfo).size()));
      if (record.isEmpty()) {
        return new ResumeData(metainfo, log, file, null, null);
      }
      DownloadFolder folder = DownloadFolder.of(outputFolder);
      List<ResumeRecord.FileStamp> now = ResumeCheck.stamps(metainfo, i -> folder.pathOf(metainfo.files().get(i)));
      return new ResumeData(metainfo, log, file, ResumeCheck.trustedPieces(record.get(), metainfo, now), null);
    } catch (ResumeException e) {
      return new ResumeData(metainfo, log, file, null, e.getMessage());
    } catch (IOException | StorageException e) {
      return new ResumeData(metainfo, log, file, null, "cannot look at the files: " + e.getMessage());
    }
  }

  // tag::on-disk[]
  /**
   * What is on disk: the trusted record's pieces, without reading a byte, or else what {@code
   * recheck} finds (with one line saying why the record was not trusted, if there was one).
   */
  public RecheckResult onDisk(TorrentStorage storage, Recheck recheck) throws StorageException, InterruptedException {
    if (trusted != null) {
      log.accept("resume data: " + trusted.cardinality() + " of " + metainfo.pieceCount()
          + " pieces trusted, no recheck");
      return RecheckResult.fromVerified(storage.layout(), trusted);
    }
    if (ignoredBecause != null) {
      log.accept("resume data ignored: " + ignoredBecause + "; rechecking every piece");
    }
    rechecked = true;
    return recheck.run();
  }
  // end::on-disk[]

  /**
   * The saver for the rest of the run, starting from {@code onDisk}. After a recheck that found
   * pieces, it saves at once, so that the next start need not recheck them again.
   */
  public Optional<ResumeSaver> saver(TorrentStorage storage, RecheckResult onDisk) {
    if (file == null) {
      return Optional.empty();
    }
    ResumeSaver saver = new ResumeSaver(file, metainfo, storage, onDisk.have(), trusted == null, System.nanoTime(), log);
    if (rechecked && !onDisk.have().isEmpty()) {
      saver.save(System.nanoTime());
    }
    return Optional.of(saver);
  }
}
