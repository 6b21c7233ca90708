package dev.piecemeal.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.storage.StorageException.Reason;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The JDK's disk errors, as they arrive, become typed errors that name the file. */
class StorageExceptionTest {
  private static final Path FILE = Path.of("/downloads/t/a.txt");

  @Test
  void namesNoSpaceLeft() {
    StorageException e = StorageException.from(new IOException("No space left on device"), "writing piece 3 to", FILE);
    assertThat(e.reason()).isEqualTo(Reason.NO_SPACE);
    assertThat(e).hasMessage("no space left on device writing piece 3 to /downloads/t/a.txt");
    assertThat(e.path()).isEqualTo(FILE);
  }

  @Test
  void namesAReadOnlyFileSystem() {
    StorageException e = StorageException.from(
        new FileSystemException(FILE.toString(), null, "Read-only file system"), "writing piece 0 to", FILE);
    assertThat(e.reason()).isEqualTo(Reason.READ_ONLY);
    assertThat(e).hasMessage("read-only file system writing piece 0 to /downloads/t/a.txt");
  }

  @Test
  void namesPermissionDenied() {
    StorageException e = StorageException.from(new AccessDeniedException(FILE.toString()), "creating folder", FILE);
    assertThat(e.reason()).isEqualTo(Reason.PERMISSION_DENIED);
    assertThat(e).hasMessage("permission denied creating folder /downloads/t/a.txt");
  }

  @Test
  void keepsTheSystemsWordsForAnyOtherError() {
    StorageException e = StorageException.from(new IOException("Input/output error"), "reading block 0:0+10 from", FILE);
    assertThat(e.reason()).isEqualTo(Reason.IO_ERROR);
    assertThat(e).hasMessage("input/output error reading block 0:0+10 from /downloads/t/a.txt");
  }
}
