package dev.piecemeal.client.resume;

import dev.piecemeal.bencode.BencodeDecoder;
import dev.piecemeal.bencode.BencodeDictionary;
import dev.piecemeal.bencode.BencodeEncoder;
import dev.piecemeal.bencode.BencodeException;
import dev.piecemeal.bencode.BencodeInteger;
import dev.piecemeal.bencode.BencodeList;
import dev.piecemeal.bencode.BencodeString;
import dev.piecemeal.bencode.BencodeValue;
import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.bitfield.Bitfield;
import dev.piecemeal.client.resume.ResumeRecord.FileStamp;
import dev.piecemeal.handshake.ProtocolException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ResumeRecord} as bytes: one bencoded dictionary (chapter 1's encoder and decoder), keys
 * in BEP 3's sorted order, so the same record is always the same bytes.
 *
 * <pre>
 * d
 *   5:files        l d 5:mtime i1796148163123456789e 4:size i1073741824e e e
 *   9:info-hash    20:&lt;the torrent's info-hash&gt;
 *   11:piece count  i1024e
 *   12:piece length i1048576e
 *   8:verified     128:&lt;the bitfield, as the wire's BITFIELD message carries it&gt;
 *   7:version      i1e
 * e
 * </pre>
 *
 * <p>A resume file is untrusted input, like a torrent: another program, a full disk or a person may
 * have written it. {@link #decode} reads at most {@link #maxLength} bytes (what a record of this
 * torrent can take), strictly (canonical bencode, every field of the right type and range), so a
 * malformed, truncated or oversized file ends in one {@link ResumeException}, and nothing in it
 * sizes an allocation: the bitfield's length is checked against the piece count it claims, and
 * both are bounded by the bytes read.
 */
public final class ResumeCodec {
  private ResumeCodec() {}

  /** The record's bytes. */
  public static byte[] encode(ResumeRecord record) {
    List<BencodeValue> files = new ArrayList<>();
    for (FileStamp stamp : record.files()) {
      files.add(BencodeDictionary.builder()
          .put("mtime", stamp.modifiedNanos())
          .put("size", stamp.size())
          .build());
    }
    return BencodeEncoder.encode(BencodeDictionary.builder()
        .put("files", new BencodeList(files))
        .put("info-hash", record.infoHash().bytes())
        .put("piece count", record.pieceCount())
        .put("piece length", record.pieceLength())
        .put("verified", record.verified().toBytes())
        .put("version", record.version())
        .build());
  }

  /**
   * The most bytes a record of a torrent of {@code pieceCount} pieces and {@code fileCount} files
   * takes: the bitfield, 60 bytes a file at most ({@code d5:mtimei…e4:sizei…ee} with two 19-digit
   * numbers), and 200 for the rest. A longer file is not ours.
   */
  public static int maxLength(int pieceCount, int fileCount) {
    long bytes = 200L + (pieceCount + 7L) / 8 + 60L * fileCount;
    return (int) Math.min(bytes, Integer.MAX_VALUE - 1);
  }

  /** Decodes a whole record held in memory; see {@link #decode(InputStream, int)}. */
  public static ResumeRecord decode(byte[] bytes) throws ResumeException {
    try {
      return decode(new ByteArrayInputStream(bytes), bytes.length);
    } catch (IOException e) {
      throw new IllegalStateException("a byte array does not fail to read", e);
    }
  }

  /**
   * Reads and decodes a record of at most {@code maxBytes} bytes.
   *
   * @throws ResumeException the bytes are more than {@code maxBytes}, not canonical bencode, cut
   *     short, or a field is missing, of the wrong type or out of range; or the version is newer
   *     than {@link ResumeRecord#VERSION}
   * @throws IOException the stream failed
   */
  public static ResumeRecord decode(InputStream in, int maxBytes) throws IOException, ResumeException {
    BencodeValue value;
    try {
      value = BencodeDecoder.decode(in, maxBytes);
    } catch (BencodeException e) {
      throw new ResumeException("the resume file is not a resume record: " + e.getMessage(), e);
    }
    if (!(value instanceof BencodeDictionary record)) {
      throw new ResumeException("the resume file holds " + value.kind() + ", not a dictionary");
    }
    // the version first: a newer format may have changed every other field
    int version = (int) integer(record, "version", 1, Integer.MAX_VALUE);
    if (version > ResumeRecord.VERSION) {
      throw new ResumeException("the resume file is version " + version + ", newer than the version "
          + ResumeRecord.VERSION + " this Piecemeal reads");
    }
    byte[] infoHash = string(record, "info-hash");
    if (infoHash.length != InfoHash.LENGTH) {
      throw new ResumeException("the resume file's info-hash is " + infoHash.length + " bytes, not "
          + InfoHash.LENGTH);
    }
    int pieceLength = (int) integer(record, "piece length", 1, Integer.MAX_VALUE);
    int pieceCount = (int) integer(record, "piece count", 1, Integer.MAX_VALUE);
    Bitfield verified;
    try {
      // its length is checked against pieceCount before anything is allocated for it
      verified = Bitfield.fromBytes(string(record, "verified"), pieceCount);
    } catch (ProtocolException e) {
      throw new ResumeException("the resume file's verified pieces: " + e.getMessage(), e);
    }
    return new ResumeRecord(version, InfoHash.fromBytes(infoHash), pieceLength, pieceCount,
        files(record), verified);
  }

  private static List<FileStamp> files(BencodeDictionary record) throws ResumeException {
    BencodeValue value = record.get("files").orElseThrow(() -> missing("files"));
    if (!(value instanceof BencodeList list)) {
      throw wrongType("files", "a list", value);
    }
    List<FileStamp> stamps = new ArrayList<>(list.values().size()); // values the decoder already holds
    for (BencodeValue file : list.values()) {
      if (!(file instanceof BencodeDictionary stamp)) {
        throw wrongType("file " + stamps.size(), "a dictionary", file);
      }
      stamps.add(new FileStamp(integer(stamp, "size", -1, Long.MAX_VALUE),
          integer(stamp, "mtime", Long.MIN_VALUE, Long.MAX_VALUE)));
    }
    return stamps;
  }

  private static long integer(BencodeDictionary dictionary, String key, long min, long max) throws ResumeException {
    BencodeValue value = dictionary.get(key).orElseThrow(() -> missing(key));
    if (!(value instanceof BencodeInteger integer)) {
      throw wrongType(key, "an integer", value);
    }
    if (integer.value() < min || integer.value() > max) {
      throw new ResumeException("the resume file's " + key + " " + integer.value() + " is not in " + min + ".." + max);
    }
    return integer.value();
  }

  private static byte[] string(BencodeDictionary dictionary, String key) throws ResumeException {
    BencodeValue value = dictionary.get(key).orElseThrow(() -> missing(key));
    if (!(value instanceof BencodeString string)) {
      throw wrongType(key, "a byte string", value);
    }
    return string.bytes();
  }

  private static ResumeException missing(String key) {
    return new ResumeException("the resume file has no " + key);
  }

  private static ResumeException wrongType(String key, String expected, BencodeValue value) {
    return new ResumeException("the resume file's " + key + " is " + value.kind() + ", not " + expected);
  }
}
