package dev.piecemeal.client.create;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.testing.TestTorrents;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PieceHashingTest {
  private static final int PIECE = 16 * 1024;

  @TempDir Path folder;

  @Test
  void hashesTheFilesBackToBackInPiecesWithAShortLastOne() throws Exception {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("a.txt", TestTrees.bytes(100_003, 1));
    files.put("docs/empty.dat", new byte[0]);
    files.put("docs/readme.md", TestTrees.bytes(7_777, 2));
    files.put("z/last.bin", TestTrees.bytes(65_537, 3));
    Content content = ContentScan.of(TestTrees.write(folder.resolve("tree"), files));
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    content.files().forEach(f -> all.writeBytes(files.get(f.relativePath())));

    byte[] expected = TestTorrents.pieceHashes(all.toByteArray(), PIECE);
    assertThat(expected).hasSize(11 * 20); // 173,317 bytes: 10 whole pieces and 9,477 bytes
    assertThat(PieceHashing.hash(content, PIECE, 1, (done, total) -> { })).isEqualTo(expected);
    assertThat(PieceHashing.hash(content, PIECE, 4, (done, total) -> { }))
        .as("four threads, the same hashes").isEqualTo(expected);
  }

  @Test
  void hashesAPieceLongerThanOneChunk() throws Exception {
    byte[] data = TestTrees.bytes(PieceHashing.CHUNK_LENGTH * 2 + 5, 4);
    Content content = ContentScan.of(Files.write(folder.resolve("big.bin"), data));
    int pieceLength = PieceHashing.CHUNK_LENGTH * 2;
    assertThat(PieceHashing.hash(content, pieceLength, 2, (done, total) -> { }))
        .isEqualTo(TestTorrents.pieceHashes(data, pieceLength));
  }

  @Test
  void reportsEveryPieceOnce() throws Exception {
    Content content = ContentScan.of(Files.write(folder.resolve("f"), TestTrees.bytes(10 * PIECE + 1, 5)));
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger last = new AtomicInteger();
    PieceHashing.hash(content, PIECE, 3, (done, total) -> {
      calls.incrementAndGet();
      last.accumulateAndGet(done, Math::max);
      assertThat(total).isEqualTo(11);
    });
    assertThat(calls.get()).isEqualTo(11);
    assertThat(last.get()).isEqualTo(11);
  }

  @Test
  void failsWhenAFileChangedAfterItWasFound() throws Exception {
    Path file = Files.write(folder.resolve("growing.log"), TestTrees.bytes(3 * PIECE, 6));
    Content content = ContentScan.of(file);
    Files.write(file, new byte[] {1}, StandardOpenOption.APPEND);
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
    assertThatThrownBy(() -> PieceHashing.hash(content, PIECE, 2, (done, total) -> { }))
        .isInstanceOfSatisfying(CreateException.class,
            e -> assertThat(e.kind()).isEqualTo(CreateException.Kind.FAILED))
        .hasMessageStartingWith(file.toRealPath() + ": the file changed while it was being hashed (49152 bytes")
        .hasMessageContaining("; 49153 bytes, modified 2030-01-01T00:00:00Z after)");
  }
}
