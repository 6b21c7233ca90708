package dev.piecemeal.client.resume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.bitfield.Bitfield;
import dev.piecemeal.client.TestData;
import dev.piecemeal.storage.TorrentStorage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The saver against real storage, with time stepped by hand. */
class ResumeSaverTest {
  private static final int PIECE = 16 * 1024;
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  @TempDir Path temp;
  private final List<String> log = new ArrayList<>();
  private byte[] data;
  private Metainfo metainfo;
  private TorrentStorage storage;
  private ResumeFile file;

  @BeforeEach
  void storage() throws Exception {
    data = TestData.bytes(6 * PIECE, 3);
    metainfo = TestData.singleFile("six.bin", data, PIECE, null);
    Path output = Files.createDirectory(temp.resolve("out"));
    storage = TorrentStorage.create(metainfo, output, TorrentStorage.Flushing.BY_CALLER);
    file = ResumeFile.locate(temp.resolve("state"), metainfo.infoHash(), output);
  }

  @AfterEach
  void close() throws Exception {
    storage.close();
  }

  private ResumeSaver saver() {
    return new ResumeSaver(file, metainfo, storage, new Bitfield(metainfo.pieceCount()), false, 0, log::add);
  }

  private void write(int piece, ResumeSaver saver) throws Exception {
    storage.writePiece(piece, ByteBuffer.wrap(Arrays.copyOfRange(data, piece * PIECE, (piece + 1) * PIECE)));
    saver.pieceVerified(piece);
  }

  private Bitfield saved() throws Exception {
    return file.read(ResumeCodec.maxLength(metainfo.pieceCount(), 1)).orElseThrow().verified();
  }

  @Test
  void recordsOnlyThePiecesVerifiedBeforeTheSaveBegan() throws Exception {
    ResumeSaver saver = saver();
    write(0, saver);
    write(3, saver);

    assertThat(saver.save(SECOND)).isEqualTo(2);
    write(4, saver); // after the save: in the next record, not this one

    assertThat(saved().has(0)).isTrue();
    assertThat(saved().has(3)).isTrue();
    assertThat(saved().cardinality()).as("pieces in the record").isEqualTo(2);
  }

  @Test
  void writesARecordTheCheckTrustsAsItIs() throws Exception {
    ResumeSaver saver = saver();
    write(1, saver);
    saver.save(SECOND);

    ResumeRecord record = file.read(1000).orElseThrow();
    Bitfield trusted = ResumeCheck.trustedPieces(record, metainfo, ResumeCheck.stamps(metainfo, storage::pathOf));

    assertThat(trusted.cardinality()).isEqualTo(1);
    assertThat(trusted.has(1)).isTrue();
  }

  @Test
  void savesThirtySecondsAfterTheLastSaveOnceAPieceIsVerified() throws Exception {
    ResumeSaver saver = saver();
    saver.maybeSave(31 * SECOND);
    assertThat(file.path()).as("nothing verified, nothing to save").doesNotExist();

    write(2, saver);
    saver.maybeSave(29 * SECOND);
    assertThat(file.path()).as("29 s after the start").doesNotExist();

    saver.maybeSave(30 * SECOND);
    assertThat(saved().has(2)).isTrue();
  }

  @Test
  void doesNotSaveAgainWhenNothingWasVerifiedSince() throws Exception {
    ResumeSaver saver = saver();
    write(2, saver);
    saver.save(SECOND);
    Files.delete(file.path());

    saver.maybeSave(100 * SECOND);
    saver.close();

    assertThat(file.path()).doesNotExist();
  }

  @Test
  void savesAtCloseWhatWasVerifiedSinceTheLastSave() throws Exception {
    ResumeSaver saver = saver();
    write(0, saver);
    saver.save(SECOND);
    write(5, saver);

    saver.close();

    assertThat(saved().cardinality()).isEqualTo(2);
    assertThat(log).as("a save that works is silent").isEmpty();
  }

  @Test
  void logsAFailedSaveAndTriesAgainAtTheNextOne() throws Exception {
    Path blocked = Files.createDirectories(temp.resolve("blocked"));
    Files.write(blocked.resolve("resume"), new byte[0]); // a file where the folder must go
    ResumeFile unwritable = ResumeFile.locate(blocked, metainfo.infoHash(), storage.folder());
    ResumeSaver saver = new ResumeSaver(unwritable, metainfo, storage, new Bitfield(6), false, 0, log::add);
    write(0, saver);

    assertThat(saver.save(SECOND)).isEqualTo(-1);
    assertThat(log).singleElement().asString().startsWith("resume data not saved: ");

    saver.maybeSave(31 * SECOND);
    assertThat(log).as("tried again 30 s later").hasSize(2);
  }
}
