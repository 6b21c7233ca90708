package dev.piecemeal.client.resume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.bitfield.Bitfield;
import dev.piecemeal.client.TestData;
import dev.piecemeal.client.resume.ResumeRecord.FileStamp;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every reason not to trust resume data, each against real files in a temporary folder. */
class ResumeCheckTest {
  private static final int PIECE = 16 * 1024;

  @TempDir Path folder;
  private Metainfo metainfo;
  private Path file;
  private Bitfield verified;

  @BeforeEach
  void aDownloadHalfDone() throws Exception {
    byte[] data = TestData.bytes(8 * PIECE + 100, 1);
    metainfo = TestData.singleFile("half.bin", data, PIECE, null);
    file = folder.resolve("half.bin");
    Files.write(file, data);
    verified = new Bitfield(metainfo.pieceCount());
    for (int i = 0; i < 4; i++) {
      verified.set(i);
    }
  }

  private List<FileStamp> now() throws Exception {
    return ResumeCheck.stamps(metainfo, i -> folder.resolve(metainfo.files().get(i).relativePath()));
  }

  private ResumeRecord savedNow() throws Exception {
    return new ResumeRecord(1, metainfo.infoHash(), metainfo.pieceLength(), metainfo.pieceCount(), now(), verified);
  }

  @Test
  void trustsTheVerifiedPiecesWhenEveryFileIsAsItWasSaved() throws Exception {
    ResumeRecord record = savedNow();

    assertThat(ResumeCheck.trustedPieces(record, metainfo, now())).isEqualTo(verified);
  }

  @Test
  void stampsTheSizeAndTheModificationTimeToTheNanosecondTheDiskKeeps() throws Exception {
    Files.setLastModifiedTime(file, FileTime.fromMillis(1_796_148_163_123L));

    assertThat(now()).containsExactly(new FileStamp(8 * PIECE + 100, 1_796_148_163_123_000_000L));
  }

  @Nested
  class FilesChanged {
    @Test
    void distrustsAFileWhoseSizeChanged() throws Exception {
      ResumeRecord record = savedNow();
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        channel.truncate(3 * PIECE);
      }

      assertThatThrownBy(() -> ResumeCheck.trustedPieces(record, metainfo, now()))
          .isInstanceOf(ResumeException.class)
          .hasMessage("half.bin is 49152 bytes, but was 131172 bytes when the resume data was saved");
    }

    @Test
    void distrustsAFileModifiedSinceTheSaveEvenWithItsSizeKept() throws Exception {
      ResumeRecord record = savedNow();
      FileTime before = Files.getLastModifiedTime(file);
      Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 1500)); // as a write would

      assertThatThrownBy(() -> ResumeCheck.trustedPieces(record, metainfo, now()))
          .isInstanceOf(ResumeException.class)
          .hasMessageStartingWith("half.bin was modified since the resume data was saved (at ")
          .hasMessageContaining(", saved with " + before.toInstant());
    }

    @Test
    void distrustsAFileThatIsGone() throws Exception {
      ResumeRecord record = savedNow();
      Files.delete(file);

      assertThatThrownBy(() -> ResumeCheck.trustedPieces(record, metainfo, now()))
          .isInstanceOf(ResumeException.class)
          .hasMessage("half.bin is not on disk, but was 131172 bytes when the resume data was saved");
    }
  }

  @Nested
  class AnotherTorrent {
    @Test
    void distrustsARecordOfAnotherInfoHash() throws Exception {
      ResumeRecord record = new ResumeRecord(1, InfoHash.fromHex("00".repeat(20)), metainfo.pieceLength(),
          metainfo.pieceCount(), now(), verified);

      assertThatThrownBy(() -> ResumeCheck.trustedPieces(record, metainfo, now()))
          .isInstanceOf(ResumeException.class)
          .hasMessage("it is for another torrent (info-hash " + "00".repeat(20) + ", not "
              + metainfo.infoHash().hex() + ")");
    }

    @Test
    void distrustsAnotherPieceLength() throws Exception {
      ResumeRecord record = new ResumeRecord(1, metainfo.infoHash(), 2 * PIECE, metainfo.pieceCount(), now(), verified);

      assertThatThrownBy(() -> ResumeCheck.trustedPieces(record, metainfo, now()))
          .isInstanceOf(ResumeException.class)
          .hasMessage("it says pieces of 32768 bytes, the torrent 16384");
    }

    @Test
    void distrustsAnotherPieceCount() throws Exception {
      ResumeRecord record = new ResumeRecord(1, metainfo.infoHash(), PIECE, 4, now(), new Bitfield(4));

      assertThatThrownBy(() -> ResumeCheck.trustedPieces(record, metainfo, now()))
          .isInstanceOf(ResumeException.class)
          .hasMessage("it says 4 pieces, the torrent 9");
    }

    @Test
    void distrustsAnotherNumberOfFiles() throws Exception {
      List<FileStamp> two = List.of(now().get(0), now().get(0));
      ResumeRecord record = new ResumeRecord(1, metainfo.infoHash(), PIECE, metainfo.pieceCount(), two, verified);

      assertThatThrownBy(() -> ResumeCheck.trustedPieces(record, metainfo, now()))
          .isInstanceOf(ResumeException.class)
          .hasMessage("it lists 2 files, the torrent has 1");
    }
  }
}
