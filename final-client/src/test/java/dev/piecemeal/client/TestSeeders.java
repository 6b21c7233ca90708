package dev.piecemeal.client;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.bitfield.Bitfield;
import dev.piecemeal.tracker.PeerAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** For tests outside this package (the command line's): torrents in files, and seeders for them. */
public final class TestSeeders implements AutoCloseable {
  private final List<TestSeeder> running = new ArrayList<>();
  private final List<BackgroundDownload> engines = new ArrayList<>();

  public static byte[] bytes(int length, long seed) {
    return TestData.bytes(length, seed);
  }

  /** Writes a trackerless single-file torrent of {@code data} into {@code folder}. */
  public Path torrentFile(Path folder, String name, byte[] data, int pieceLength) throws Exception {
    Path torrent = folder.resolve(name + ".torrent");
    Files.write(torrent, TestData.singleFileTorrent(name, data, pieceLength, null));
    return torrent;
  }

  /** Writes a single-file torrent of {@code data} with {@code announce} as its tracker. */
  public Path torrentFile(Path folder, String name, byte[] data, int pieceLength, String announce) throws Exception {
    Path torrent = folder.resolve(name + ".torrent");
    Files.write(torrent, TestData.singleFileTorrent(name, data, pieceLength, announce));
    return torrent;
  }

  /** Starts a seeder of the torrent, with every piece or with none. */
  public PeerAddress seed(Path torrent, byte[] data, boolean everyPiece) throws Exception {
    Metainfo metainfo = Metainfo.fromFile(torrent);
    TestSeeder seeder = everyPiece
        ? TestSeeder.start(metainfo, data, TestSeeder.Behaviour.NORMAL)
        : TestSeeder.withPieces(metainfo, data, new Bitfield(metainfo.pieceCount()));
    running.add(seeder);
    return seeder.address();
  }

  /**
   * Starts the engine itself seeding the torrent from a copy of {@code data} in {@code folder}:
   * unlike {@link #seed}, it serves the metadata too (ut_metadata, chapter 10).
   */
  public PeerAddress seedWithEngine(Path torrent, byte[] data, Path folder) throws Exception {
    Metainfo metainfo = Metainfo.fromFile(torrent);
    Files.createDirectories(folder);
    Files.write(folder.resolve(metainfo.name()), data);
    BackgroundDownload seeder = BackgroundDownload.seeder(metainfo, DownloadOptions.builder(folder)
        .listen(java.net.InetAddress.getLoopbackAddress(), 0).loopbackOnly(true));
    engines.add(seeder);
    return seeder.address();
  }

  @Override
  public void close() {
    running.forEach(TestSeeder::close);
    for (BackgroundDownload engine : engines) {
      try {
        engine.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
