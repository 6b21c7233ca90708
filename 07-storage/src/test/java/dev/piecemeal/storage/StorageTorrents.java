package dev.piecemeal.storage;

import dev.piecemeal.bencode.BencodeDictionary;
import dev.piecemeal.bencode.BencodeList;
import dev.piecemeal.bencode.BencodeValue;
import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.bencode.MetainfoException;
import dev.piecemeal.testing.TestTorrents;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Torrents for storage tests, built in code with real piece hashes: a list of entries (files with
 * content, pad files of zeros) becomes a checked {@link Metainfo} and the byte stream it describes.
 * Extends chapter 1's {@code TestTorrents} with pad files, which it does not build.
 *
 * <pre>
 * StorageTorrents.Torrent t = StorageTorrents.multiFile("t", 40, file("a", 30), file("b", 0), pad(10));
 * t.metainfo()   // files t/a (30 bytes), t/b (empty), a pad file of 10 zeros
 * t.stream()     // the 40 bytes, which is what the pieces hash
 * </pre>
 */
final class StorageTorrents {
  private StorageTorrents() {}

  /** One entry: a file with content, a pad file (zeros, attr "p"), or a symlink (attr "l"). */
  record Entry(String path, byte[] content, boolean padding, String symlinkTarget) {}

  /** A built torrent and every byte of its stream. */
  record Torrent(Metainfo metainfo, byte[] stream) {
    /** The bytes of piece {@code i}. */
    byte[] piece(int i) {
      int start = i * metainfo.pieceLength();
      return Arrays.copyOfRange(stream, start, start + metainfo.pieceSize(i));
    }

    /** The expected content of file {@code path} (relative to the torrent's folder). */
    byte[] content(int fileIndex) {
      var file = metainfo.files().get(fileIndex);
      return Arrays.copyOfRange(stream, (int) file.offset(), (int) file.end());
    }
  }

  /** A file of {@code length} bytes of content that differs from file to file. */
  static Entry file(String path, int length) {
    byte[] content = new byte[length];
    new Random(path.hashCode() * 31L + length).nextBytes(content);
    return new Entry(path, content, false, null);
  }

  /** A pad file: {@code length} zeros that take piece space and are never written. */
  static Entry pad(int length) {
    return new Entry(".pad/" + length, new byte[length], true, null);
  }

  /** A symlink entry (BEP 47): no bytes in the stream, a target inside the torrent. */
  static Entry symlink(String path, String target) {
    return new Entry(path, new byte[0], false, target);
  }

  static Torrent multiFile(String name, int pieceLength, Entry... entries) {
    List<BencodeValue> files = new ArrayList<>();
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    for (Entry entry : entries) {
      BencodeDictionary.Builder file = BencodeDictionary.builder();
      if (entry.padding()) {
        file.put("attr", "p");
      }
      if (entry.symlinkTarget() != null) {
        file.put("attr", "l").put("symlink path", TestTorrents.strings(entry.symlinkTarget().split("/")));
      }
      files.add(file.put("length", entry.content().length)
          .put("path", TestTorrents.strings(entry.path().split("/")))
          .build());
      stream.writeBytes(entry.content());
    }
    byte[] all = stream.toByteArray();
    byte[] torrent = TestTorrents.torrent(BencodeDictionary.builder()
        .put("files", new BencodeList(files))
        .put("name", name)
        .put("piece length", pieceLength)
        .put("pieces", TestTorrents.pieceHashes(all, pieceLength))
        .build());
    return new Torrent(load(torrent), all);
  }

  static Torrent singleFile(String name, int length, int pieceLength) {
    byte[] content = file(name, length).content();
    return new Torrent(load(TestTorrents.singleFile(name, content, pieceLength)), content);
  }

  static Metainfo load(byte[] torrent) {
    try {
      return Metainfo.fromBytes(torrent);
    } catch (MetainfoException e) {
      throw new AssertionError("test torrent does not load: " + e.getMessage(), e);
    }
  }
}
