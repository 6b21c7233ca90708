package dev.piecemeal.storage;

import static dev.piecemeal.storage.StorageTorrents.file;

import dev.piecemeal.storage.StorageTorrents.Torrent;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The child process of {@link CrashTest}: a download that is killed at a random moment. It
 * resumes from what is on disk (a recheck), then "downloads" the missing pieces from memory, in a
 * shuffled order, block by block through a {@link PieceAssembler}, and prints {@code written N}
 * once piece N is durably recorded, which is the promise under test.
 *
 * <pre>
 * java -cp TEST_CLASSPATH dev.piecemeal.storage.CrashingDownload DOWNLOAD_FOLDER SEED
 * </pre>
 */
public final class CrashingDownload {
  private CrashingDownload() {}

  /** The torrent both processes know: 48 pieces of 32 KiB over four files, one of them empty. */
  static Torrent torrent() {
    return StorageTorrents.multiFile("crash", 32768,
        file("a.bin", 500_000), file("empty", 0), file("b.bin", 20_000), file("c.bin", 1_050_000));
  }

  public static void main(String[] args) throws Exception {
    Path folder = Path.of(args[0]);
    Random random = new Random(Long.parseLong(args[1]));
    Torrent torrent = torrent();
    PrintStream out = System.out;
    try (TorrentStorage storage = TorrentStorage.create(torrent.metainfo(), folder)) {
      RecheckResult onDisk = Recheck.run(storage, (checked, total) -> { });
      out.println("resumed with " + onDisk.have().cardinality());
      out.flush();
      List<Integer> missing = new ArrayList<>();
      for (int piece = 0; piece < torrent.metainfo().pieceCount(); piece++) {
        if (!onDisk.have().has(piece)) {
          missing.add(piece);
        }
      }
      Collections.shuffle(missing, random);
      for (int piece : missing) {
        byte[] bytes = torrent.piece(piece);
        PieceAssembler<String> assembler = new PieceAssembler<>(piece, bytes.length);
        for (int begin = 0; begin < bytes.length; begin += PieceAssembler.BLOCK_LENGTH) {
          int length = Math.min(PieceAssembler.BLOCK_LENGTH, bytes.length - begin);
          assembler.add("memory", piece, begin, ByteBuffer.wrap(bytes, begin, length));
        }
        PieceVerdict<String> verdict = storage.verifyAndWrite(assembler);
        if (!(verdict instanceof PieceVerdict.Written)) {
          throw new AssertionError("the in-memory source sent a bad piece " + piece);
        }
        out.println("written " + piece);
        out.flush();
      }
    }
    out.println("done");
  }
}
