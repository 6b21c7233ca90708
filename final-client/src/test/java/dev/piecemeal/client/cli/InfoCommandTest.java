package dev.piecemeal.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.testing.GoldenFiles;
import dev.piecemeal.testing.ProjectRoot;
import dev.piecemeal.testing.TestTorrents;
import dev.piecemeal.testing.TorrentCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InfoCommandTest {
  private static final Path GOLDEN = Paths.get("src/test/resources/golden");

  @TempDir Path folder;

  /** The whole output for the project's sample, kept as a golden file the chapter quotes. */
  @Test
  void printsTheSampleTorrent() {
    Path sample = ProjectRoot.resolve("samples/piecemeal-sample.torrent");
    CliRunner.Result result = CliRunner.run("info", sample.toString());
    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(result.err()).isEmpty();
    assertThat(result.out()).contains("info hash:   d075adab104828d5e946a8833c5ab04727105478\n");
    GoldenFiles.check(GOLDEN.resolve("info-piecemeal-sample.expected.txt"), result.out());
  }

  @Test
  void printsPadFilesTrackerTiersAndTheCommentOfACorpusTorrent() {
    CliRunner.Result result = CliRunner.run("info", TorrentCorpus.file("sample.torrent").toString());
    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    GoldenFiles.check(GOLDEN.resolve("info-sample.expected.txt"), result.out());
  }

  @Test
  void printsTheSingleFileFormOfACorpusTorrent() {
    CliRunner.Result result = CliRunner.run("info", TorrentCorpus.file("base.torrent").toString());
    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    GoldenFiles.check(GOLDEN.resolve("info-base.expected.txt"), result.out());
  }

  @Test
  void printsASingleFileTorrent() throws Exception {
    Path file = folder.resolve("song.torrent");
    Files.write(file, TestTorrents.singleFile("song.mp3", new byte[230_400], 16384));
    CliRunner.Result result = CliRunner.run("info", file.toString());
    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(result.out())
        .contains("name:        song.mp3\n")
        .contains("total size:  230,400 bytes (225.0 KiB)\n")
        .contains("pieces:      15 of 16,384 bytes (16.0 KiB), the last 1,024 bytes (1.0 KiB)\n")
        .contains("  tier 1: " + TestTorrents.ANNOUNCE + "\n")
        .contains("  230,400 bytes (225.0 KiB)  song.mp3\n");
  }

  @Test
  void aMalformedFileIsOneErrorLineWithTheFileTheProblemAndTheOffset() throws Exception {
    Path file = folder.resolve("bad.torrent");
    Files.writeString(file, "d4:infod4:name1:a6:lengthi01eee");
    CliRunner.Result result = CliRunner.run("info", file.toString());
    assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.out()).isEmpty();
    assertThat(result.errLines()).containsExactly("error: " + file + ": integer with a leading zero at offset 26");
  }

  @Test
  void aMissingFileIsOneErrorLine() {
    Path missing = folder.resolve("missing.torrent");
    CliRunner.Result result = CliRunner.run("info", missing.toString());
    assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.errLines()).containsExactly("error: " + missing + ": no such file");
  }

  @Test
  void aFolderIsOneErrorLine() {
    CliRunner.Result result = CliRunner.run("info", folder.toString());
    assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.errLines()).containsExactly("error: " + folder + ": is a folder, not a .torrent file");
  }

  @Test
  void anUnreadableFileIsOneErrorLine() throws Exception {
    Path file = folder.resolve("locked.torrent");
    Files.write(file, TestTorrents.singleFile("a", new byte[10], 16384));
    boolean locked = file.toFile().setReadable(false) && !Files.isReadable(file);
    CliRunner.Result result = CliRunner.run("info", file.toString());
    if (locked) {
      assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(result.errLines()).containsExactly("error: " + file + ": permission denied");
    } else {
      // Running as root: permissions do not stop reading, and the file loads.
      assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    }
  }
}
