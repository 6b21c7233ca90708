package dev.piecemeal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.bitfield.Bitfield;
import dev.piecemeal.client.TestSeeder.Behaviour;
import dev.piecemeal.peers.ConnectionTimeouts;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restarts with resume data (chapter 11): what a stop saved is trusted without a recheck, and
 * nothing that changed since, or was written after the save, ever counts as verified. Whether the
 * recheck ran is proved by the engine's log line, never by timing.
 */
class ResumeDownloadTest {
  private static final int PIECE = 32 * 1024;
  private static final int PIECES = 20;

  @TempDir Path folder;
  @TempDir Path state;
  private final List<TestSeeder> seeders = new ArrayList<>();
  private final List<String> log = new ArrayList<>();
  private byte[] data;
  private Metainfo metainfo;
  private Path file;

  @BeforeEach
  void aTorrent() throws Exception {
    data = TestData.bytes(PIECES * PIECE - 1000, 11); // a short last piece
    metainfo = TestData.singleFile("resumed.bin", data, PIECE, null);
    file = folder.resolve("resumed.bin");
  }

  @AfterEach
  void stopTheSeeders() {
    seeders.forEach(TestSeeder::close);
  }

  private TestSeeder seeder() throws IOException {
    TestSeeder seeder = TestSeeder.start(metainfo, data, Behaviour.NORMAL);
    seeders.add(seeder);
    return seeder;
  }

  private TestSeeder seederOfTheFirstHalf() throws IOException {
    Bitfield half = new Bitfield(PIECES);
    for (int i = 0; i < PIECES / 2; i++) {
      half.set(i);
    }
    TestSeeder seeder = TestSeeder.withPieces(metainfo, data, half);
    seeders.add(seeder);
    return seeder;
  }

  private DownloadOptions.Builder options(TestSeeder seeder) {
    return DownloadOptions.builder(folder)
        .listen(InetAddress.getLoopbackAddress(), 0)
        .loopbackOnly(true)
        .extraPeers(List.of(seeder.address()))
        .timeouts(ConnectionTimeouts.all(Duration.ofSeconds(10)))
        .stateFolder(state)
        .log(line -> {
          synchronized (log) {
            log.add(line);
          }
        });
  }

  private List<String> log() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  /** The first half fetched, then stopped as Ctrl-C stops it: the resume data is saved at exit. */
  private void downloadTheFirstHalfThenStop() throws Exception {
    try (BackgroundDownload first = BackgroundDownload.start(metainfo, options(seederOfTheFirstHalf()))) {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (piecesDone(first) < PIECES / 2) {
        assertThat(System.nanoTime()).as("half the pieces within 30 s").isLessThan(deadline);
        Thread.sleep(10);
      }
      DownloadResult stopped = first.stop();
      assertThat(stopped.complete()).isFalse();
      assertThat(resumeFile()).as("saved at exit").isRegularFile();
    }
  }

  private static int piecesDone(BackgroundDownload download) {
    try {
      return download.status().piecesDone();
    } catch (java.util.NoSuchElementException notCheckedYet) {
      return 0;
    }
  }

  private Path resumeFile() throws IOException {
    try (Stream<Path> files = Files.list(state.resolve("resume"))) {
      return files.collect(onlyOne());
    }
  }

  private static java.util.stream.Collector<Path, ?, Path> onlyOne() {
    return java.util.stream.Collectors.collectingAndThen(java.util.stream.Collectors.toList(), list -> {
      assertThat(list).as("files in the resume folder").hasSize(1);
      return list.get(0);
    });
  }

  @Test
  void aRestartAfterAStopTrustsTheResumeDataSkipsTheRecheckAndFetchesOnlyTheRest() throws Exception {
    downloadTheFirstHalfThenStop();
    TestSeeder seeder = seeder();

    DownloadResult result = new Download(metainfo, options(seeder).build()).run();

    assertThat(log()).contains("resume data: 10 of 20 pieces trusted, no recheck", "on disk: 10 of 20 pieces verified");
    assertThat(result.complete()).isTrue();
    assertThat(result.piecesOnDiskAtStart()).isEqualTo(10);
    assertThat(seeder.bytesServed()).as("only the second half was fetched").isEqualTo(data.length - 10L * PIECE);
    assertThat(Files.readAllBytes(file)).isEqualTo(data);
  }

  @Test
  void aFinishedDownloadRestartsWithoutReadingItsData() throws Exception {
    new Download(metainfo, options(seeder()).build()).run();
    log.clear();

    DownloadResult again = new Download(metainfo, options(seeder()).build()).run();

    assertThat(again.complete()).isTrue();
    assertThat(again.piecesFetched()).isZero();
    assertThat(log()).containsExactly("resume data: 20 of 20 pieces trusted, no recheck");
  }

  @Test
  void aRecheckThatFindsPiecesSavesThemAtOnceSoTheNextStartNeedNotRecheck() throws Exception {
    Files.write(file, data); // complete, from elsewhere: no resume data yet
    new Download(metainfo, options(seeder()).build()).run();
    assertThat(log()).noneMatch(line -> line.startsWith("resume data"));
    log.clear();

    new Download(metainfo, options(seeder()).build()).run();

    assertThat(log()).containsExactly("resume data: 20 of 20 pieces trusted, no recheck");
  }

  @Nested
  class ChangedAfterTheSave {
    @Test
    void aFileTouchedAfterTheSaveForcesAFullRecheckAndTheBrokenPieceIsFetchedAgain() throws Exception {
      new Download(metainfo, options(seeder()).build()).run();
      corrupt(3); // the size stays, the modification time moves on
      log.clear();
      TestSeeder seeder = seeder();

      DownloadResult result = new Download(metainfo, options(seeder).build()).run();

      assertThat(log()).anySatisfy(line -> assertThat(line)
          .startsWith("resume data ignored: resumed.bin was modified since the resume data was saved")
          .endsWith("; rechecking every piece"));
      assertThat(log()).contains("on disk: 19 of 20 pieces verified");
      assertThat(result.piecesFetched()).isEqualTo(1);
      assertThat(seeder.bytesServed()).isEqualTo(PIECE);
      assertThat(Files.readAllBytes(file)).isEqualTo(data);
    }

    @Test
    void aFileTruncatedAfterTheSaveForcesAFullRecheckAndTheLostPiecesAreFetchedAgain() throws Exception {
      new Download(metainfo, options(seeder()).build()).run();
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        channel.truncate(5L * PIECE + 100);
      }
      log.clear();

      DownloadResult result = new Download(metainfo, options(seeder()).build()).run();

      assertThat(log()).contains("resume data ignored: resumed.bin is 163940 bytes, but was " + data.length
          + " bytes when the resume data was saved; rechecking every piece", "on disk: 5 of 20 pieces verified");
      assertThat(result.piecesFetched()).isEqualTo(15);
      assertThat(Files.readAllBytes(file)).isEqualTo(data);
    }
  }

  /** What a kill -9 can leave behind, made by hand; no bad piece may ever count as verified. */
  @Nested
  class KilledMidDownload {
    @Test
    void aPieceWrittenAfterTheSaveIsNotTrustedEvenWhenTheStampStillMatches() throws Exception {
      downloadTheFirstHalfThenStop();
      // a killed run wrote into piece 15 after the save, within the file system's clock tick:
      // the stamp still matches, but the record does not name piece 15
      FileTime saved = Files.getLastModifiedTime(file);
      corrupt(15);
      Files.setLastModifiedTime(file, saved);
      TestSeeder seeder = seeder();

      DownloadResult result = new Download(metainfo, options(seeder).build()).run();

      assertThat(log()).contains("resume data: 10 of 20 pieces trusted, no recheck");
      assertThat(result.piecesFetched()).as("piece 15 is fetched again with the rest").isEqualTo(10);
      assertThat(Files.readAllBytes(file)).isEqualTo(data);
    }

    @Test
    void piecesWrittenButNeverSavedAreFoundByTheRecheck() throws Exception {
      downloadTheFirstHalfThenStop();
      // a killed run wrote pieces 10 to 19 and died before its next save: the record says 10 of 20
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.wrap(data, 10 * PIECE, data.length - 10 * PIECE), 10L * PIECE);
      }
      Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 2000));
      log.clear();
      TestSeeder seeder = seeder();

      DownloadResult result = new Download(metainfo, options(seeder).build()).run();

      assertThat(log()).anySatisfy(line -> assertThat(line).startsWith("resume data ignored: resumed.bin was modified"));
      assertThat(result.complete()).isTrue();
      assertThat(result.piecesOnDiskAtStart()).as("found by the recheck").isEqualTo(20);
      assertThat(result.piecesFetched()).isZero();
      assertThat(seeder.bytesServed()).isZero();
    }

    @Test
    void aResumeFileCutShortIsIgnoredWithItsReason() throws Exception {
      downloadTheFirstHalfThenStop();
      Path record = resumeFile();
      byte[] whole = Files.readAllBytes(record);
      Files.write(record, java.util.Arrays.copyOf(whole, whole.length / 2));
      log.clear();

      DownloadResult result = new Download(metainfo, options(seeder()).build()).run();

      assertThat(log()).anySatisfy(line -> assertThat(line)
          .startsWith("resume data ignored: the resume file is not a resume record: ")
          .endsWith("; rechecking every piece"));
      assertThat(log()).contains("on disk: 10 of 20 pieces verified");
      assertThat(result.complete()).isTrue();
      assertThat(Files.readAllBytes(file)).isEqualTo(data);
    }
  }

  @Nested
  class Seeding {
    @Test
    void aSeedRestartsWithoutRecheckingAndNeverTouchesItsData() throws Exception {
      Files.write(file, data);
      FileTime written = FileTime.fromMillis(1_700_000_000_000L);
      Files.setLastModifiedTime(file, written);
      DownloadOptions.Builder seed = DownloadOptions.builder(folder).listen(InetAddress.getLoopbackAddress(), 0)
          .loopbackOnly(true).stateFolder(state);
      try (BackgroundDownload first = BackgroundDownload.seeder(metainfo, seed)) {
        first.stop();
      }
      try (BackgroundDownload second = BackgroundDownload.seeder(metainfo, seed)) {
        assertThat(second.log()).contains("resume data: 20 of 20 pieces trusted, no recheck");
        second.stop();
      }
      assertThat(Files.getLastModifiedTime(file)).isEqualTo(written);
      assertThat(Files.readAllBytes(file)).isEqualTo(data);
      try (Stream<Path> inFolder = Files.list(folder)) {
        assertThat(inFolder).as("nothing written beside the data").containsExactly(file);
      }
    }
  }

  @Test
  void withoutAStateFolderNothingIsSavedAndEveryStartRechecks() throws Exception {
    new Download(metainfo, options(seeder()).stateFolder(null).build()).run();
    log.clear();

    new Download(metainfo, options(seeder()).stateFolder(null).build()).run();

    assertThat(log()).noneMatch(line -> line.startsWith("resume data"));
    assertThat(state).isEmptyDirectory();
  }

  @Test
  void aStateFolderInsideTheOutputFolderTurnsResumeDataOffWithOneLine() throws Exception {
    DownloadResult result = new Download(metainfo, options(seeder()).stateFolder(folder.resolve(".state")).build()).run();

    assertThat(result.complete()).isTrue();
    assertThat(log()).filteredOn(line -> line.startsWith("resume data")).singleElement().asString()
        .startsWith("resume data off: its folder ").contains(" overlap");
    assertThat(folder.resolve(".state")).doesNotExist();
  }

  /** Flips a byte in the middle of piece {@code piece}, keeping the file's size. */
  private void corrupt(int piece) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long at = (long) piece * PIECE + PIECE / 2;
      ByteBuffer one = ByteBuffer.allocate(1);
      channel.read(one, at);
      one.flip();
      one.put(0, (byte) ~one.get(0));
      channel.write(one, at);
    }
    Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 2000));
  }
}
