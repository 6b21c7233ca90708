package dev.piecemeal.client.resume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.bitfield.Bitfield;
import dev.piecemeal.client.resume.ResumeRecord.FileStamp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumeFileTest {
  private static final InfoHash HASH = InfoHash.fromHex("d8f739cef8b0f2c6a8e8f0f3b9d3c7a1e2f4a6b8");

  @TempDir Path temp;

  private ResumeRecord record(int verifiedPieces) {
    Bitfield verified = new Bitfield(8);
    for (int i = 0; i < verifiedPieces; i++) {
      verified.set(i);
    }
    return new ResumeRecord(1, HASH, 16384, 8, List.of(new FileStamp(131072, 42)), verified);
  }

  private Path output() throws Exception {
    return Files.createDirectories(temp.resolve("output"));
  }

  @Test
  void livesInTheStateFolderNamedForTheTorrentAndTheOutputFolder() throws Exception {
    Path state = temp.resolve("state");
    Path a = Files.createDirectory(temp.resolve("a"));
    Path b = Files.createDirectory(temp.resolve("b"));

    Path inA = ResumeFile.locate(state, HASH, a).path();
    Path inB = ResumeFile.locate(state, HASH, b).path();

    assertThat(inA.getParent()).isEqualTo(temp.toRealPath().resolve("state/resume"));
    assertThat(inA.getFileName().toString()).matches(HASH.hex() + "-[0-9a-f]{16}\\.resume");
    assertThat(inA).as("the same torrent in two output folders").isNotEqualTo(inB);
  }

  @Test
  void refusesAStateFolderInsideTheOutputFolderWhereATorrentCouldNameItsFile() throws Exception {
    Path output = Files.createDirectory(temp.resolve("downloads"));

    assertThatThrownBy(() -> ResumeFile.locate(output.resolve(".state"), HASH, output))
        .isInstanceOf(ResumeException.class)
        .hasMessageContaining("and the output folder " + output.toRealPath() + " overlap");
  }

  @Test
  void refusesAnOutputFolderInsideTheResumeFolder() throws Exception {
    Path output = Files.createDirectories(temp.resolve("state/resume/x"));

    assertThatThrownBy(() -> ResumeFile.locate(temp.resolve("state"), HASH, output))
        .isInstanceOf(ResumeException.class)
        .hasMessageContaining("overlap");
  }

  @Test
  void readsNothingWhenThereIsNoFile() throws Exception {
    ResumeFile file = ResumeFile.locate(temp.resolve("state"), HASH, output());

    assertThat(file.read(1000)).isEmpty();
    assertThat(temp.resolve("state")).as("reading creates nothing").doesNotExist();
  }

  @Test
  void replacesTheRecordWholeAndLeavesNoTemporaryFile() throws Exception {
    ResumeFile file = ResumeFile.locate(temp.resolve("state"), HASH, Files.createDirectory(temp.resolve("out")));

    file.write(ResumeCodec.encode(record(2)));
    file.write(ResumeCodec.encode(record(5)));

    assertThat(file.read(1000)).contains(record(5));
    try (Stream<Path> left = Files.list(file.path().getParent())) {
      assertThat(left).containsExactly(file.path());
    }
  }

  @Test
  void refusesAFileLargerThanTheRecordOfTheTorrentCanBe() throws Exception {
    ResumeFile file = ResumeFile.locate(temp.resolve("state"), HASH, output());
    Files.createDirectories(file.path().getParent());
    Files.write(file.path(), new byte[10_000]);

    assertThatThrownBy(() -> file.read(ResumeCodec.maxLength(8, 1)))
        .isInstanceOf(ResumeException.class)
        .hasMessageContaining("longer than the limit of 261 bytes");
  }

  @Test
  void refusesASymbolicLinkWhereTheFileShouldBe() throws Exception {
    ResumeFile file = ResumeFile.locate(temp.resolve("state"), HASH, output());
    Files.createDirectories(file.path().getParent());
    Path elsewhere = Files.write(temp.resolve("elsewhere"), ResumeCodec.encode(record(8)));
    Files.createSymbolicLink(file.path(), elsewhere);

    assertThatThrownBy(() -> file.read(1000))
        .isInstanceOf(ResumeException.class)
        .hasMessageEndingWith(" is not a regular file");
  }
}
