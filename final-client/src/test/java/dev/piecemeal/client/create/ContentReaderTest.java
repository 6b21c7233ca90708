package dev.piecemeal.client.create;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentReaderTest {
  @TempDir Path folder;

  @Test
  void readsAcrossFileEndsAndSkipsZeroLengthFiles() throws Exception {
    byte[] a = TestTrees.bytes(1000, 1);
    byte[] z = TestTrees.bytes(500, 2);
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("a", a);
    files.put("b-empty", new byte[0]);
    files.put("c/empty-too", new byte[0]);
    files.put("z", z);
    Content content = ContentScan.of(TestTrees.write(folder.resolve("tree"), files));

    ByteBuffer buffer = ByteBuffer.allocate(300);
    try (ContentReader reader = new ContentReader(content)) {
      reader.read(900, buffer);
    }
    byte[] expected = new byte[300];
    System.arraycopy(a, 900, expected, 0, 100);
    System.arraycopy(z, 0, expected, 100, 200);
    assertThat(buffer.hasRemaining()).isFalse();
    assertThat(buffer.array()).as("the last 100 bytes of a, then the first 200 of z").isEqualTo(expected);
  }

  @Test
  void readsAtAnyOffsetInAnyOrder() throws Exception {
    byte[] a = TestTrees.bytes(70_000, 3);
    Content content = ContentScan.of(TestTrees.write(folder.resolve("tree"), Map.of("a", a)));
    try (ContentReader reader = new ContentReader(content)) {
      for (int offset : new int[] {65_536, 0, 16_384}) {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        reader.read(offset, buffer);
        assertThat(buffer.array()).isEqualTo(Arrays.copyOfRange(a, offset, offset + 4096));
      }
    }
  }

  @Test
  void failsNamingAFileThatGotShorterSinceItWasFound() throws Exception {
    Path root = TestTrees.write(folder.resolve("tree"), Map.of("a", new byte[1000]));
    Content content = ContentScan.of(root);
    try (RandomAccessFile file = new RandomAccessFile(root.resolve("a").toFile(), "rw")) {
      file.setLength(600);
    }
    try (ContentReader reader = new ContentReader(content)) {
      assertThatThrownBy(() -> reader.read(0, ByteBuffer.allocate(1000)))
          .isInstanceOfSatisfying(CreateException.class,
              e -> assertThat(e.kind()).isEqualTo(CreateException.Kind.FAILED))
          .hasMessage(root.toRealPath().resolve("a")
              + ": the file changed while it was being hashed: it ends at byte 600, but had 1000 bytes when it was found");
    }
  }
}
