package dev.piecemeal.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.bencode.Metainfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CreateCommandTest {
  private static final String TRACKER = "http://127.0.0.1:6969/announce";
  private static final Pattern CREATED = Pattern.compile(
      "created (.+): (.+), (.+) in ([0-9,]+) pieces? of (.+), info-hash ([0-9a-f]{40})\n");

  @TempDir Path folder;

  @Test
  void createsASingleFileTorrentAndSaysWhatItMadeInOneLine() throws Exception {
    Path data = Files.createDirectory(folder.resolve("data"));
    Path file = Files.write(data.resolve("single.bin"), bytes(4 * 1024 * 1024 + 12_345));
    Path torrent = folder.resolve("single.torrent");

    CliRunner.Result result = CliRunner.run("create", file.toString(), "-t", TRACKER, "-o", torrent.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(result.err()).isEmpty();
    Metainfo metainfo = Metainfo.fromFile(torrent);
    assertThat(result.out()).isEqualTo("created " + torrent + ": single.bin, 4,206,649 bytes (4.0 MiB)"
        + " in 257 pieces of 16 KiB, info-hash " + metainfo.infoHash().hex() + "\n");
    assertThat(metainfo.createdBy()).hasValueSatisfying(by -> assertThat(by).startsWith("Piecemeal "));
    assertThat(metainfo.creationDate()).isPresent();
  }

  @Test
  void createsAFolderTorrentThatInfoAndVerifyAgreeWith() throws Exception {
    Path tree = folder.resolve("data/tree");
    Files.createDirectories(tree.resolve("docs/deep"));
    Files.write(tree.resolve("docs/deep/data.bin"), bytes(300_000));
    Files.write(tree.resolve("empty.dat"), new byte[0]);
    Files.write(tree.resolve("ünïcödé.txt"), bytes(1_000));
    Path torrent = folder.resolve("tree.torrent");

    CliRunner.Result created = CliRunner.run("create", tree.toString(), "-t", TRACKER,
        "-t", "udp://127.0.0.1:6969/announce", "--piece-length", "32K", "--private", "--comment", "hi",
        "-o", torrent.toString());
    assertThat(created.exitCode()).as(created.err()).isEqualTo(ExitCodes.OK);
    Matcher line = CREATED.matcher(created.out());
    assertThat(line.matches()).as(created.out()).isTrue();
    assertThat(line.group(2)).isEqualTo("tree");
    assertThat(line.group(4)).isEqualTo("10");
    assertThat(line.group(5)).isEqualTo("32 KiB");

    CliRunner.Result info = CliRunner.run("info", torrent.toString());
    assertThat(info.out())
        .contains("info hash:   " + line.group(6) + "\n")
        .contains("private:     yes")
        .contains("comment:     hi\n")
        .contains("  tier 1: " + TRACKER + "\n")
        .contains("  tier 2: udp://127.0.0.1:6969/announce\n")
        .contains("tree/ünïcödé.txt");

    CliRunner.Result verify = CliRunner.run("verify", torrent.toString(), "-d", folder.resolve("data").toString());
    assertThat(verify.exitCode()).as(verify.out()).isEqualTo(ExitCodes.OK);
    assertThat(verify.out()).contains("complete:    10 of 10 pieces").contains("files:       3 of 3 complete");
  }

  @Test
  void givesTheSameInfoHashOnASecondRun() throws Exception {
    Path file = Files.write(folder.resolve("f.bin"), bytes(100_000));
    CliRunner.Result one = CliRunner.run("create", file.toString(), "-t", TRACKER, "-o", folder.resolve("1.torrent").toString());
    CliRunner.Result two = CliRunner.run("create", file.toString(), "-t", "udp://127.0.0.1:1/announce",
        "--comment", "other", "-o", folder.resolve("2.torrent").toString());
    assertThat(hashIn(two)).isEqualTo(hashIn(one));
  }

  @Test
  void takesAPieceLengthInBytesOrWithAUnit() {
    assertThat(CreateCommand.parseSize("262144")).isEqualTo(262_144);
    assertThat(CreateCommand.parseSize("256K")).isEqualTo(262_144);
    assertThat(CreateCommand.parseSize("256kib")).isEqualTo(262_144);
    assertThat(CreateCommand.parseSize("1M")).isEqualTo(1_048_576);
    assertThat(CreateCommand.parseSize("1MiB")).isEqualTo(1_048_576);
    assertThat(CreateCommand.parseSize("1.5M")).isEqualTo(-1);
    assertThat(CreateCommand.parseSize("-16K")).isEqualTo(-1);
    assertThat(CreateCommand.parseSize("")).isEqualTo(-1);
  }

  @Test
  void replacesAnExistingTorrentWithForce() throws Exception {
    Path file = Files.write(folder.resolve("f.bin"), bytes(100_000));
    Path torrent = Files.writeString(folder.resolve("f.torrent"), "old");
    CliRunner.Result result = CliRunner.run("create", file.toString(), "-t", TRACKER, "-o", torrent.toString(), "--force");
    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(Metainfo.fromFile(torrent).name()).isEqualTo("f.bin");
  }

  @Test
  void helpSaysWhatItRefusesAndChooses() {
    CliRunner.Result result = CliRunner.run("create", "--help");
    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(result.out())
        .contains("Usage: piecemeal create PATH -t URL [-t URL]... -o FILE.torrent")
        .contains("A symbolic link inside PATH is refused")
        .contains("At least one -t")
        .contains("at most", "2000 pieces")
        .contains("replaced only with --force");
  }

  /** Every refusal: exit 2, exactly one error line, and no torrent written. */
  @Nested
  class Refused {
    private Path torrent;

    @BeforeEach
    void output() {
      torrent = folder.resolve("out.torrent");
    }

    @Test
    void aMissingPath() {
      Path missing = folder.resolve("nope");
      assertRefused(missing + ": no such file or folder", missing.toString(), "-t", TRACKER);
    }

    @Test
    void anEmptyFolder() throws Exception {
      Path empty = Files.createDirectory(folder.resolve("empty"));
      assertRefused(empty + ": the folder holds no files; a torrent lists files, not empty folders",
          empty.toString(), "-t", TRACKER);
    }

    @Test
    void aFolderOfEmptyFiles() throws Exception {
      Path zeros = Files.createDirectory(folder.resolve("zeros"));
      Files.write(zeros.resolve("a"), new byte[0]);
      assertRefused(zeros + ": every file in the folder is empty (1 file, 0 bytes); a torrent needs at least one byte",
          zeros.toString(), "-t", TRACKER);
    }

    @Test
    void aSymlinkInsideTheFolder() throws Exception {
      Path tree = Files.createDirectory(folder.resolve("tree"));
      Files.write(tree.resolve("real"), new byte[1]);
      Files.createSymbolicLink(tree.resolve("link"), tree.resolve("real"));
      CliRunner.Result result = CliRunner.run("create", tree.toString(), "-t", TRACKER, "-o", torrent.toString());
      assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(result.errLines()).singleElement().asString()
          .startsWith("error: " + tree.resolve("link") + ": is a symbolic link; create refuses links inside the folder");
      assertThat(torrent).doesNotExist();
    }

    @Test
    void aPieceLengthThatIsNotAPowerOfTwo() throws Exception {
      assertRefused("--piece-length 1000 is not a power of two of at least 16 KiB",
          data().toString(), "-t", TRACKER, "--piece-length", "1000");
    }

    @Test
    void aPieceLengthBelowSixteenKibibytes() throws Exception {
      assertRefused("--piece-length 8K is not a power of two of at least 16 KiB",
          data().toString(), "-t", TRACKER, "--piece-length", "8K");
    }

    @Test
    void aPieceLengthAboveSixtyFourMebibytes() throws Exception {
      assertRefused("--piece-length 128M is more than the largest piece length, 64 MiB",
          data().toString(), "-t", TRACKER, "--piece-length", "128M");
    }

    @Test
    void aPieceLengthThatIsNotANumber() throws Exception {
      assertRefused("--piece-length big is not a number of bytes (like 262144, 256K or 1M)",
          data().toString(), "-t", TRACKER, "--piece-length", "big");
    }

    @Test
    void noTracker() throws Exception {
      assertRefused("no tracker given: add -t URL (Piecemeal finds peers through trackers only,"
          + " so it makes no trackerless torrents)", data().toString());
    }

    @Test
    void aTrackerThatIsNotAUrl() throws Exception {
      assertRefused("-t ftp://127.0.0.1/announce is not a tracker URL: it must start with http://, https://"
          + " or udp:// and name a host", data().toString(), "-t", "ftp://127.0.0.1/announce");
      assertRefused("-t 127.0.0.1:6969 is not a tracker URL: it must start with http://, https://"
          + " or udp:// and name a host", data().toString(), "-t", "127.0.0.1:6969");
    }

    @Test
    void theSameTrackerTwice() throws Exception {
      assertRefused("-t " + TRACKER + " is given twice", data().toString(), "-t", TRACKER, "-t", TRACKER);
    }

    @Test
    void aNameWithASlash() throws Exception {
      assertRefused("--name a/b: a path separator inside \"a/b\" is not allowed",
          data().toString(), "-t", TRACKER, "--name", "a/b");
    }

    @Test
    void anOutputThatExistsWithoutForce() throws Exception {
      Files.writeString(torrent, "keep me");
      assertRefused(torrent + ": already exists (add --force to replace it)", data().toString(), "-t", TRACKER);
      assertThat(torrent).hasContent("keep me");
    }

    @Test
    void anOutputInsideThePath() throws Exception {
      Path tree = Files.createDirectory(folder.resolve("tree"));
      Files.write(tree.resolve("a"), new byte[1]);
      Path inside = tree.resolve("tree.torrent");
      CliRunner.Result result = CliRunner.run("create", tree.toString(), "-t", TRACKER, "-o", inside.toString());
      assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(result.errLines()).containsExactly(
          "error: -o " + inside + " is inside " + tree + ", so the torrent would describe itself; write it elsewhere");
      assertThat(inside).doesNotExist();
    }

    @Test
    void theDataFileItselfAsOutputEvenWithForce() throws Exception {
      Path file = data();
      CliRunner.Result result = CliRunner.run("create", file.toString(), "-t", TRACKER, "-o", file.toString(), "--force");
      assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(result.errLines()).containsExactly(
          "error: -o " + file + " is " + file + " itself; write the torrent elsewhere");
      assertThat(Files.size(file)).as("the data is untouched").isEqualTo(1000);
    }

    @Test
    void anOutputInAFolderThatDoesNotExist() throws Exception {
      Path nowhere = folder.resolve("no/such/folder/x.torrent");
      CliRunner.Result result = CliRunner.run("create", data().toString(), "-t", TRACKER, "-o", nowhere.toString());
      assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(result.errLines()).containsExactly(
          "error: " + nowhere + ": the folder " + nowhere.getParent() + " does not exist");
    }

    @Test
    void noOutput() throws Exception {
      CliRunner.Result result = CliRunner.run("create", data().toString(), "-t", TRACKER);
      assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(result.errLines()).singleElement().asString()
          .startsWith("error: Missing required option: '--output=FILE.torrent'");
    }

    private Path data() throws Exception {
      Path file = folder.resolve("data.bin");
      return Files.exists(file) ? file : Files.write(file, bytes(1000));
    }

    private void assertRefused(String message, String... args) {
      List<String> all = new ArrayList<>(List.of("create"));
      all.addAll(List.of(args));
      all.addAll(List.of("-o", torrent.toString()));
      boolean existed = Files.exists(torrent);
      CliRunner.Result result = CliRunner.run(all.toArray(String[]::new));
      assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(result.errLines()).containsExactly("error: " + message);
      assertThat(result.out()).isEmpty();
      if (!existed) {
        assertThat(torrent).as("nothing written").doesNotExist();
      }
    }
  }

  private static String hashIn(CliRunner.Result result) {
    Matcher line = CREATED.matcher(result.out());
    assertThat(line.matches()).as(result.out() + result.err()).isTrue();
    return line.group(6);
  }

  private static byte[] bytes(int length) {
    byte[] bytes = new byte[length];
    new Random(length).nextBytes(bytes);
    return bytes;
  }
}
