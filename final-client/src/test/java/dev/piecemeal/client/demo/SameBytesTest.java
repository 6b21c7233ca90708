package dev.piecemeal.client.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SameBytesTest {
  @TempDir Path folder;
  private Path original;
  private Path copy;

  @BeforeEach
  void twoCopies() throws Exception {
    original = folder.resolve("original");
    copy = folder.resolve("copy");
    for (Path root : new Path[] {original, copy}) {
      Files.createDirectories(root.resolve("a"));
      Files.write(root.resolve("a/one.bin"), new byte[] {1, 2, 3, 4});
      Files.write(root.resolve("empty.txt"), new byte[0]);
    }
  }

  @Test
  void countsTheFilesAndBytesOfTwoEqualFolders() throws Exception {
    assertThat(SameBytes.check(original, copy)).isEqualTo(new SameBytes.Compared(2, 4));
  }

  @Test
  void namesTheFileAndTheFirstByteThatDiffers() throws Exception {
    Files.write(copy.resolve("a/one.bin"), new byte[] {1, 2, 9, 4});

    assertThatThrownBy(() -> SameBytes.check(original, copy))
        .isInstanceOf(DemoException.class)
        .hasMessage(copy.resolve("a/one.bin") + " differs from the original from byte 2");
  }

  @Test
  void namesAFileMissingFromTheCopy() throws Exception {
    Files.delete(copy.resolve("empty.txt"));

    assertThatThrownBy(() -> SameBytes.check(original, copy))
        .isInstanceOf(DemoException.class)
        .hasMessage(copy.resolve("empty.txt") + " is missing from the download");
  }

  @Test
  void namesAFileTheOriginalDoesNotHave() throws Exception {
    Files.write(copy.resolve("a/extra.bin"), new byte[] {7});

    assertThatThrownBy(() -> SameBytes.check(original, copy))
        .isInstanceOf(DemoException.class)
        .hasMessage(copy.resolve("a/extra.bin") + " is in the download but not in the original");
  }
}
