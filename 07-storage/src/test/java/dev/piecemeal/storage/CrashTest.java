package dev.piecemeal.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.messages.BlockRequest;
import dev.piecemeal.storage.StorageTorrents.Torrent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resume's promise, tested by killing a real process: a piece reported written is found again
 * after {@code kill -9}, and every piece found is correct. The child ({@link CrashingDownload})
 * runs in its own JVM on the test classpath and is killed with SIGKILL ({@link
 * Process#destroyForcibly()}) after a random (seeded) number of reported pieces, twice: the
 * second run resumes from what the first left.
 */
class CrashTest {
  @TempDir
  Path downloads;

  /** The child's stderr, kept apart from its download and read only when a run goes wrong. */
  @TempDir
  Path logs;

  @Test
  @Timeout(60)
  void aKilledDownloadKeepsEveryPieceItReportedAndNothingWrong() throws Exception {
    Torrent torrent = CrashingDownload.torrent();
    Random random = new Random(20261124);
    TreeSet<Integer> reported = new TreeSet<>();
    for (int run = 0; run < 2; run++) {
      int killAfter = 1 + random.nextInt(15);
      reported.addAll(runAndKill(random.nextLong(), killAfter));
    }

    RecheckResult found;
    try (TorrentStorage storage = TorrentStorage.openForReading(torrent.metainfo(), downloads)) {
      found = Recheck.run(storage, (checked, total) -> { });
      for (int piece = 0; piece < torrent.metainfo().pieceCount(); piece++) {
        if (found.have().has(piece)) {
          assertThat(readPiece(storage, piece)).as("piece %d found present", piece).isEqualTo(torrent.piece(piece));
        }
      }
    }
    for (int piece : reported) {
      assertThat(found.have().has(piece)).as("piece %d was reported written", piece).isTrue();
    }
    assertThat(reported).as("the child wrote something before it died").isNotEmpty();
  }

  /** Starts the child, reads its report until {@code killAfter} pieces, then kills it. */
  private TreeSet<Integer> runAndKill(long seed, int killAfter) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        CrashingDownload.class.getName(), downloads.toString(), Long.toString(seed))
        .redirectError(Files.createTempFile(logs, "child", ".err").toFile())
        .start();
    TreeSet<Integer> written = new TreeSet<>();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (written.size() < killAfter && (line = out.readLine()) != null) {
        if (line.startsWith("written ")) {
          written.add(Integer.parseInt(line.substring("written ".length())));
        }
      }
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no close(), no flush
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(20, TimeUnit.SECONDS)).as("child ended").isTrue();
    }
    return written;
  }

  private static byte[] readPiece(TorrentStorage storage, int piece) throws StorageException {
    int size = storage.layout().pieceSize(piece);
    ByteBuffer bytes = ByteBuffer.allocate(size);
    for (int begin = 0; begin < size; begin += 16384) {
      storage.readBlock(new BlockRequest(piece, begin, Math.min(16384, size - begin)), bytes);
    }
    return bytes.array();
  }
}
