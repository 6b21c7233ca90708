package dev.piecemeal.client;

import dev.piecemeal.bencode.BencodeDictionary;
import dev.piecemeal.bencode.BencodeEncoder;
import dev.piecemeal.bencode.BencodeList;
import dev.piecemeal.bencode.BencodeValue;
import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.testing.TestTorrents;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Torrents built in the test, with real piece hashes and a tracker of the test's choosing (or none). */
public final class TestData {
  private TestData() {}

  /** {@code length} reproducible random bytes. */
  public static byte[] bytes(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** A single-file torrent of {@code content}, with {@code announce} as its tracker (null: none). */
  public static Metainfo singleFile(String name, byte[] content, int pieceLength, String announce) throws Exception {
    return Metainfo.fromBytes(singleFileTorrent(name, content, pieceLength, announce));
  }

  /** The .torrent file's bytes of {@link #singleFile}. */
  static byte[] singleFileTorrent(String name, byte[] content, int pieceLength, String announce) {
    BencodeDictionary info = BencodeDictionary.builder()
        .put("length", content.length)
        .put("name", name)
        .put("piece length", pieceLength)
        .put("pieces", TestTorrents.pieceHashes(content, pieceLength))
        .build();
    return encode(info, announce);
  }

  /** A single-file torrent marked private (BEP 27: {@code private 1} in its info), with no tracker. */
  static Metainfo privateSingleFile(String name, byte[] content, int pieceLength) throws Exception {
    BencodeDictionary info = BencodeDictionary.builder()
        .put("length", content.length)
        .put("name", name)
        .put("piece length", pieceLength)
        .put("pieces", TestTorrents.pieceHashes(content, pieceLength))
        .put("private", 1)
        .build();
    return Metainfo.fromBytes(encode(info, null));
  }

  /** A multi-file torrent; {@code files} maps "dir/name" to content, in order (a LinkedHashMap). */
  public static Metainfo multiFile(String name, int pieceLength, Map<String, byte[]> files) throws Exception {
    List<BencodeValue> list = new ArrayList<>();
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      list.add(TestTorrents.file(file.getValue().length, file.getKey().split("/")));
      all.writeBytes(file.getValue());
    }
    BencodeDictionary info = BencodeDictionary.builder()
        .put("files", new BencodeList(list))
        .put("name", name)
        .put("piece length", pieceLength)
        .put("pieces", TestTorrents.pieceHashes(all.toByteArray(), pieceLength))
        .build();
    return Metainfo.fromBytes(encode(info, null));
  }

  /** Every file's bytes end to end: what the seeders serve. */
  static byte[] concat(Map<String, byte[]> files) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    files.values().forEach(all::writeBytes);
    return all.toByteArray();
  }

  private static byte[] encode(BencodeDictionary info, String announce) {
    BencodeDictionary.Builder root = BencodeDictionary.builder();
    if (announce != null) {
      root.put("announce", announce);
    }
    return BencodeEncoder.encode(root.put("info", info).build());
  }
}
