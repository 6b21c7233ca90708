package dev.piecemeal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.tracker.PeerAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link Download} that only seeds ({@code requireComplete}): it reads the folder it is given and
 * never creates, resizes or writes a file in it, whether it refuses the data or serves it.
 */
class DownloadSeedingTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @TempDir Path seederFolder;
  @TempDir Path downloadFolder;

  /** Three files, one of them empty in a folder of its own. */
  private static Map<String, byte[]> files() {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("a.bin", TestData.bytes(40_000, 41));
    files.put("docs/b.bin", TestData.bytes(30_000, 42));
    files.put("empty/nothing.dat", new byte[0]);
    return files;
  }

  @Test
  void refusesIncompleteDataAndLeavesTheFolderAsItWas() throws Exception {
    Map<String, byte[]> files = files();
    Metainfo metainfo = TestData.multiFile("tree", 16 * 1024, files);
    Path root = seederFolder.resolve("tree");
    Files.createDirectories(root.resolve("docs"));
    Files.write(root.resolve("a.bin"), files.get("a.bin"));
    Files.write(root.resolve("docs/b.bin"), Arrays.copyOf(files.get("docs/b.bin"), 10_000)); // cut short
    Map<String, String> before = tree(seederFolder);

    Download seeder = new Download(metainfo, DownloadOptions.builder(seederFolder)
        .listen(LOOPBACK, 0).seed(true).requireComplete(true).build());

    assertThatThrownBy(seeder::run)
        .isInstanceOf(DownloadFailure.class)
        .hasMessageStartingWith("2 of 5 pieces are missing or damaged in ");
    assertThat(tree(seederFolder)).as("no file created or extended, no folder made").isEqualTo(before);
  }

  @Test
  void servesCompleteDataWithoutCreatingResizingOrWritingAFile() throws Exception {
    Map<String, byte[]> files = files();
    Metainfo metainfo = TestData.multiFile("tree", 16 * 1024, files);
    Path root = seederFolder.resolve("tree");
    Files.createDirectories(root.resolve("docs"));
    // a.bin holds 5 bytes more than the torrent says: no piece covers them, so the data is complete
    Files.write(root.resolve("a.bin"), concat(files.get("a.bin"), new byte[] {1, 2, 3, 4, 5}));
    Files.write(root.resolve("docs/b.bin"), files.get("docs/b.bin"));
    // and empty/nothing.dat is not there at all: a zero-length file has no bytes to serve
    Map<String, String> before = tree(seederFolder);

    try (BackgroundDownload seeder = BackgroundDownload.seeder(metainfo,
        DownloadOptions.builder(seederFolder).listen(LOOPBACK, 0))) {
      PeerAddress address = seeder.address();
      DownloadResult fetched = new Download(metainfo, DownloadOptions.builder(downloadFolder)
          .listen(LOOPBACK, 0).extraPeers(List.of(address)).build()).run();
      DownloadResult seeded = seeder.stop();

      assertThat(fetched.complete()).isTrue();
      assertThat(Files.readAllBytes(downloadFolder.resolve("tree/a.bin"))).isEqualTo(files.get("a.bin"));
      assertThat(seeded.bytesUploaded()).isGreaterThanOrEqualTo(metainfo.totalLength());
      assertThat(seeded.seeding()).as("the seeding is counted apart").isPositive();
      assertThat(seeded.downloading()).isLessThan(seeded.elapsed());
      assertThat(fetched.seeding()).as("no seed(true): no seeding").isZero();
    }
    assertThat(tree(seederFolder)).as("the seeder's folder, byte for byte").isEqualTo(before);
  }

  /** Every file and folder under {@code folder}: its path, and its size and SHA-256 for a file. */
  private static Map<String, String> tree(Path folder) throws IOException {
    Map<String, String> tree = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.toList()) {
        String name = folder.relativize(path).toString();
        tree.put(name, Files.isDirectory(path) ? "folder" : Files.size(path) + " bytes, " + sha256(path));
      }
    }
    return tree;
  }

  private static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }
}
