package dev.piecemeal.storage;

import static dev.piecemeal.storage.StorageTorrents.file;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.bencode.MetainfoException;
import dev.piecemeal.storage.StorageException.Reason;
import dev.piecemeal.storage.StorageTorrents.Torrent;
import dev.piecemeal.testing.TestTorrents;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A torrent is untrusted input: whatever its paths say, nothing is written outside the download
 * folder. Chapter 1 refuses the paths that are unsafe as text; storage refuses those that become
 * unsafe on disk, through a symlink.
 */
class DownloadFolderTest {
  @TempDir
  Path temp;

  private Path downloads;
  private Path outside;

  private void makeFolders() throws Exception {
    downloads = Files.createDirectory(temp.resolve("downloads"));
    outside = Files.createDirectory(temp.resolve("outside"));
  }

  private static Torrent torrentWithSubfolder() {
    return StorageTorrents.multiFile("t", 16384, file("a.txt", 100), file("sub/b.txt", 100));
  }

  private void assertNothingIn(Path folder) throws Exception {
    try (Stream<Path> entries = Files.walk(folder)) {
      assertThat(entries.filter(p -> !p.equals(folder))).as("written outside the download folder").isEmpty();
    }
  }

  @Nested
  class RefusedByChapterOne {
    @Test
    void refusesAParentFolderComponent() {
      byte[] torrent = TestTorrents.multiFileInfo("t", 16384, TestTorrents.file(10, "..", "..", "evil")).torrent();
      assertThatThrownBy(() -> Metainfo.fromBytes(torrent)).isInstanceOf(MetainfoException.class)
          .hasMessageContaining("\"..\" is not allowed");
    }

    @Test
    void refusesAnAbsolutePath() {
      byte[] torrent = TestTorrents.multiFileInfo("t", 16384, TestTorrents.file(10, "/etc/passwd")).torrent();
      assertThatThrownBy(() -> Metainfo.fromBytes(torrent)).isInstanceOf(MetainfoException.class)
          .hasMessageContaining("a path separator inside \"/etc/passwd\" is not allowed");
    }

    @Test
    void refusesAParentFolderAsTheTorrentsName() {
      byte[] torrent = TestTorrents.singleFileInfo("..", 10, 16384).torrent();
      assertThatThrownBy(() -> Metainfo.fromBytes(torrent)).isInstanceOf(MetainfoException.class)
          .hasMessageContaining("\"..\" is not allowed");
    }
  }

  @Nested
  class RefusedByStorage {
    @Test
    void refusesTheTorrentsFolderWhenItIsASymlinkPointingOutside() throws Exception {
      makeFolders();
      Files.createSymbolicLink(downloads.resolve("t"), outside);
      assertThatThrownBy(() -> TorrentStorage.create(torrentWithSubfolder().metainfo(), downloads))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("resolves outside the download folder")
          .hasMessageEndingWith(downloads.toRealPath().resolve("t").toString())
          .extracting(e -> ((StorageException) e).reason()).isEqualTo(Reason.OUTSIDE_DOWNLOAD_FOLDER);
      assertNothingIn(outside);
    }

    @Test
    void refusesASubfolderSymlinkPointingOutside() throws Exception {
      makeFolders();
      Files.createDirectories(downloads.resolve("t"));
      Files.createSymbolicLink(downloads.resolve("t/sub"), outside);
      assertThatThrownBy(() -> TorrentStorage.create(torrentWithSubfolder().metainfo(), downloads))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("resolves outside the download folder");
      assertNothingIn(outside);
    }

    @Test
    void refusesAFileThatIsASymlink() throws Exception {
      makeFolders();
      Path target = Files.write(outside.resolve("precious"), new byte[] {1, 2, 3});
      Files.createDirectories(downloads.resolve("t"));
      Files.createSymbolicLink(downloads.resolve("t/a.txt"), target);
      assertThatThrownBy(() -> TorrentStorage.create(torrentWithSubfolder().metainfo(), downloads))
          .isInstanceOf(StorageException.class)
          .hasMessage("refusing a symbolic link where the torrent has a file: "
              + downloads.toRealPath().resolve("t/a.txt"));
      assertThat(Files.readAllBytes(target)).containsExactly(1, 2, 3);
    }

    @Test
    void refusesToReadThroughASymlinkPointingOutside() throws Exception {
      makeFolders();
      Files.createSymbolicLink(downloads.resolve("t"), outside);
      assertThatThrownBy(() -> TorrentStorage.openForReading(torrentWithSubfolder().metainfo(), downloads))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("resolves outside the download folder");
    }

    @Test
    void refusesAFolderWhereTheTorrentHasAFile() throws Exception {
      makeFolders();
      Files.createDirectories(downloads.resolve("t/a.txt"));
      assertThatThrownBy(() -> TorrentStorage.create(torrentWithSubfolder().metainfo(), downloads))
          .isInstanceOf(StorageException.class)
          .hasMessage("a folder is where the torrent has a file: " + downloads.toRealPath().resolve("t/a.txt"));
    }

    @Test
    void refusesADownloadFolderThatIsNotAFolder() throws Exception {
      Path notAFolder = Files.write(temp.resolve("file"), new byte[0]);
      assertThatThrownBy(() -> DownloadFolder.of(notAFolder)).isInstanceOf(StorageException.class)
          .hasMessage("download folder is not a folder: " + notAFolder);
    }
  }

  @Test
  void followsASymlinkThatStaysInside() throws Exception {
    makeFolders();
    Path real = Files.createDirectory(downloads.resolve("real"));
    Files.createSymbolicLink(downloads.resolve("t"), real);
    Torrent torrent = torrentWithSubfolder();
    try (TorrentStorage storage = TorrentStorage.create(torrent.metainfo(), downloads)) {
      storage.writePiece(0, ByteBuffer.wrap(torrent.piece(0)));
    }
    assertThat(Files.readAllBytes(real.resolve("sub/b.txt"))).isEqualTo(torrent.content(1));
  }

  @Test
  void acceptsADownloadFolderReachedThroughASymlink() throws Exception {
    makeFolders();
    Path link = Files.createSymbolicLink(temp.resolve("link"), downloads);
    Torrent torrent = torrentWithSubfolder();
    TorrentStorage.create(torrent.metainfo(), link).close();
    assertThat(downloads.resolve("t/sub/b.txt")).isRegularFile();
  }
}
