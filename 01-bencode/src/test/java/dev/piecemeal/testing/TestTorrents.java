package dev.piecemeal.testing;

import dev.piecemeal.bencode.BencodeDictionary;
import dev.piecemeal.bencode.BencodeEncoder;
import dev.piecemeal.bencode.BencodeInteger;
import dev.piecemeal.bencode.BencodeList;
import dev.piecemeal.bencode.BencodeString;
import dev.piecemeal.bencode.BencodeValue;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds .torrent files in code, so that a test shows its input:
 *
 * <pre>
 * byte[] torrent = TestTorrents.singleFile("song.mp3", content, 16384);   // real piece hashes
 * byte[] broken = TestTorrents.singleFileInfo("a", 10, 16384)              // dummy hashes
 *     .set("piece length", 0)
 *     .torrent();
 * </pre>
 */
public final class TestTorrents {
  /** The tracker every built torrent announces to. */
  public static final String ANNOUNCE = "http://127.0.0.1:6969/announce";

  private TestTorrents() {}

  /** A single-file torrent of {@code content}, with real piece hashes. */
  public static byte[] singleFile(String name, byte[] content, int pieceLength) {
    return torrent(BencodeDictionary.builder()
        .put("length", content.length)
        .put("name", name)
        .put("piece length", pieceLength)
        .put("pieces", pieceHashes(content, pieceLength))
        .build());
  }

  /**
   * A multi-file torrent named {@code name}; {@code files} maps "folder/file.txt" to content, in
   * iteration order (use a {@code LinkedHashMap}). Piece hashes are real.
   */
  public static byte[] multiFile(String name, int pieceLength, Map<String, byte[]> files) {
    List<BencodeValue> list = new ArrayList<>();
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      list.add(file(file.getValue().length, file.getKey().split("/")));
      all.writeBytes(file.getValue());
    }
    return torrent(BencodeDictionary.builder()
        .put("files", new BencodeList(list))
        .put("name", name)
        .put("piece length", pieceLength)
        .put("pieces", pieceHashes(all.toByteArray(), pieceLength))
        .build());
  }

  /** An empty info dictionary, for a test that sets every field itself. */
  public static Info info() {
    return new Info();
  }

  /** The info dictionary of a single-file torrent of {@code length} bytes, with dummy hashes. */
  public static Info singleFileInfo(String name, long length, int pieceLength) {
    return new Info()
        .set("length", length)
        .set("name", name)
        .set("piece length", pieceLength)
        .set("pieces", dummyHashes((int) ((length + pieceLength - 1) / pieceLength)));
  }

  /** The info dictionary of a multi-file torrent of these {@link #file} entries, with dummy hashes. */
  public static Info multiFileInfo(String name, int pieceLength, BencodeDictionary... files) {
    long total = 0;
    for (BencodeDictionary file : files) {
      // an entry without an integer length (a test's broken entry) counts as 0
      total += file.get("length").filter(BencodeInteger.class::isInstance)
          .map(length -> ((BencodeInteger) length).value()).orElse(0L);
    }
    return new Info()
        .set("files", new BencodeList(List.of(files)))
        .set("name", name)
        .set("piece length", pieceLength)
        .set("pieces", dummyHashes((int) ((total + pieceLength - 1) / pieceLength)));
  }

  /** An info dictionary under construction, where {@code set} replaces a key's value. */
  public static final class Info {
    private final Map<String, BencodeValue> fields = new LinkedHashMap<>();

    public Info set(String key, BencodeValue value) {
      fields.put(key, value);
      return this;
    }

    public Info set(String key, long value) {
      return set(key, new BencodeInteger(value));
    }

    public Info set(String key, String utf8) {
      return set(key, BencodeString.fromUtf8(utf8));
    }

    public Info set(String key, byte[] bytes) {
      return set(key, BencodeString.fromBytes(bytes));
    }

    public Info remove(String key) {
      fields.remove(key);
      return this;
    }

    public BencodeDictionary build() {
      BencodeDictionary.Builder builder = BencodeDictionary.builder();
      fields.forEach(builder::put);
      return builder.build();
    }

    /** The whole .torrent, canonically encoded. */
    public byte[] torrent() {
      return TestTorrents.torrent(build());
    }
  }

  /** One entry of a multi-file {@code files} list. */
  public static BencodeDictionary file(long length, String... path) {
    return BencodeDictionary.builder().put("length", length).put("path", strings(path)).build();
  }

  /** A list of byte strings: a path, a tier of trackers. */
  public static BencodeList strings(String... values) {
    return new BencodeList(Arrays.stream(values).map(BencodeString::fromUtf8).map(v -> (BencodeValue) v).toList());
  }

  /** A whole torrent around {@code info}, announcing to {@link #ANNOUNCE}. */
  public static byte[] torrent(BencodeDictionary info) {
    return BencodeEncoder.encode(BencodeDictionary.builder()
        .put("announce", ANNOUNCE)
        .put("info", info)
        .build());
  }

  /** {@code count} different 20-byte values standing in for piece hashes. */
  public static byte[] dummyHashes(int count) {
    byte[] hashes = new byte[count * 20];
    for (int i = 0; i < hashes.length; i++) {
      hashes[i] = (byte) (i / 20);
    }
    return hashes;
  }

  /** The SHA-1 of each piece of {@code content}, back to back: a real {@code pieces} value. */
  public static byte[] pieceHashes(byte[] content, int pieceLength) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int start = 0; start < content.length; start += pieceLength) {
      out.writeBytes(sha1(Arrays.copyOfRange(content, start, Math.min(content.length, start + pieceLength))));
    }
    return out.toByteArray();
  }

  /** SHA-1 of {@code bytes}. */
  public static byte[] sha1(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
