package dev.piecemeal.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.bencode.TorrentFile;
import dev.piecemeal.testing.ProjectRoot;
import dev.piecemeal.testing.TestTorrents;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyCommandTest {
  private static final Path SAMPLE = ProjectRoot.resolve("samples/piecemeal-sample.torrent");

  @TempDir Path folder;

  @Test
  void findsTheSampleDataComplete() {
    CliRunner.Result result = CliRunner.run("verify", SAMPLE.toString(), "-d", ProjectRoot.resolve("samples").toString());
    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(result.err()).isEmpty();
    assertThat(result.out())
        .contains("complete:    7 of 7 pieces, 201,883 of 201,883 bytes (100.0%)\n")
        .contains("missing:     none\n")
        .contains("bad:         none\n")
        .contains("files:       10 of 10 complete\n")
        .contains("  complete    piecemeal-sample/chapters/empty.txt\n");
  }

  @Test
  void findsAFlippedByteAndNamesItsPieceAndFile() throws Exception {
    copySample(folder);
    Metainfo sample = Metainfo.fromFile(SAMPLE);
    TorrentFile chapter3 = sample.files().get(3);
    assertThat(chapter3.relativePath()).isEqualTo("piecemeal-sample/chapters/chapter-3.txt");
    flipByte(folder.resolve(chapter3.relativePath()), 1000);
    int piece = (int) ((chapter3.offset() + 1000) / sample.pieceLength());

    CliRunner.Result result = CliRunner.run("verify", SAMPLE.toString(), "-d", folder.toString());
    assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(result.out())
        .contains("complete:    6 of 7 pieces, 169,115 of 201,883 bytes (83.8%)\n")
        .contains("missing:     none\n")
        .contains("bad:         1 piece: " + piece + "\n")
        .contains("  incomplete  piecemeal-sample/chapters/chapter-3.txt\n")
        .contains("  complete    piecemeal-sample/README.txt\n");
  }

  @Test
  void findsNothingInAnEmptyFolderAndCreatesNothing() throws Exception {
    CliRunner.Result result = CliRunner.run("verify", SAMPLE.toString(), "-d", folder.toString());
    assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(result.out())
        .contains("complete:    0 of 7 pieces, 0 of 201,883 bytes (0.0%)\n")
        .contains("missing:     7 pieces: 0-6\n")
        .contains("files:       1 of 10 complete\n"); // the empty file needs no data
    try (Stream<Path> entries = Files.list(folder)) {
      assertThat(entries).as("verify only reads").isEmpty();
    }
  }

  @Test
  void checksASingleFileTorrentAtDirSlashName() throws Exception {
    byte[] content = new byte[40_000];
    content[39_999] = 7;
    Path torrent = Files.write(folder.resolve("song.torrent"), TestTorrents.singleFile("song.mp3", content, 16384));
    Path data = Files.createDirectory(folder.resolve("data"));
    Files.write(data.resolve("song.mp3"), content);
    CliRunner.Result result = CliRunner.run("verify", torrent.toString(), "-d", data.toString());
    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(result.out()).contains("data:        " + data.resolve("song.mp3") + "\n");
  }

  @Test
  void aFolderThatIsNotAFolderIsBadInput() throws Exception {
    Path notAFolder = Files.write(folder.resolve("file"), new byte[0]);
    CliRunner.Result result = CliRunner.run("verify", SAMPLE.toString(), "-d", notAFolder.toString());
    assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.errLines()).containsExactly("error: " + notAFolder + ": not a folder");
  }

  @Test
  void aMalformedTorrentIsBadInput() throws Exception {
    Path bad = Files.writeString(folder.resolve("bad.torrent"), "d4:infoi1ee");
    CliRunner.Result result = CliRunner.run("verify", bad.toString(), "-d", folder.toString());
    assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.errLines()).singleElement().asString().startsWith("error: " + bad + ": ");
  }

  @Test
  void aSymlinkOutOfTheFolderIsAnErrorNamingIt() throws Exception {
    Path outside = Files.createDirectory(folder.resolve("outside"));
    Path data = Files.createDirectory(folder.resolve("data"));
    Files.createSymbolicLink(data.resolve("piecemeal-sample"), outside);
    CliRunner.Result result = CliRunner.run("verify", SAMPLE.toString(), "-d", data.toString());
    assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(result.errLines()).singleElement().asString()
        .startsWith("error: refusing a path that resolves outside the download folder");
  }

  @Test
  void writesPieceListsAsRanges() {
    assertThat(VerifyCommand.ranges(List.of())).isEqualTo("none");
    assertThat(VerifyCommand.ranges(List.of(0, 1, 2, 5, 7, 8))).isEqualTo("6 pieces: 0-2, 5, 7-8");
  }

  /**
   * Resume data trusts a file's size and modification time (chapter 11); a change that keeps both
   * fools it, and {@code verify}, which never reads resume data, is the answer.
   */
  @Test
  void rehashesEveryPieceEvenWhereResumeDataWouldTrustThem(@TempDir Path state) throws Exception {
    copySample(folder);
    String[] download = {"download", SAMPLE.toString(), "-o", folder.toString(), "--state-dir", state.toString(),
        "--bind", "127.0.0.1", "--port", "0"};
    assertThat(CliRunner.run(download).out()).contains("was already complete"); // rechecked, then saved
    Path chapter3 = folder.resolve("piecemeal-sample/chapters/chapter-3.txt");
    java.nio.file.attribute.FileTime saved = Files.getLastModifiedTime(chapter3);
    flipByte(chapter3, 1000);
    Files.setLastModifiedTime(chapter3, saved); // the change resume data cannot see
    assertThat(CliRunner.run(download).out()).contains("resume data: 7 of 7 pieces trusted, no recheck");

    CliRunner.Result verify = CliRunner.run("verify", SAMPLE.toString(), "-d", folder.toString());

    assertThat(verify.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(verify.out()).contains("complete:    6 of 7 pieces, 169,115 of 201,883 bytes (83.8%)\n");
  }

  private static void copySample(Path target) throws IOException {
    Path source = ProjectRoot.resolve("samples");
    try (Stream<Path> paths = Files.walk(source.resolve("piecemeal-sample"))) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        Path copy = target.resolve(source.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(path, copy);
        }
      }
    }
  }

  private static void flipByte(Path file, long position) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(position);
      int b = f.read();
      f.seek(position);
      f.write(b ^ 0x01);
    }
  }
}
