package dev.piecemeal.client.magnet;

import dev.piecemeal.bencode.BencodeDecoder;
import dev.piecemeal.bencode.BencodeDictionary;
import dev.piecemeal.bencode.BencodeEncoder;
import dev.piecemeal.bencode.BencodeException;
import dev.piecemeal.bencode.BencodeInteger;
import dev.piecemeal.bencode.BencodeValue;
import dev.piecemeal.handshake.ProtocolException;
import dev.piecemeal.messages.Message;
import java.util.Arrays;
import java.util.Optional;

/**
 * The messages of ut_metadata (BEP 9, "extension for peers to send metadata files"): how a client
 * that has only a magnet link gets the info dictionary from peers that have it, 16 KiB at a time,
 * and checks it against the link's info-hash.
 *
 * <p>Each travels as an extended message (BEP 10, chapter 5's {@link Message.Extended}) under the
 * id the <em>receiver</em> gave {@code ut_metadata} in its {@link ExtendedHandshake}. The payload is
 * a bencoded dictionary; a data message carries the piece's raw bytes after it:
 *
 * <pre>
 * request  d 8:msg_type i0e 5:piece i0e e                                 "send me piece 0"
 * data     d 8:msg_type i1e 5:piece i0e 10:total_size i34256e e  &lt;16384 bytes&gt;
 * reject   d 8:msg_type i2e 5:piece i0e e                                 "I will not"
 * </pre>
 *
 * <p>The metadata is cut into pieces of {@value #PIECE_LENGTH} bytes, the last holding what is
 * left: 34,256 bytes are pieces 0 and 1 of 16,384 and piece 2 of 1,488.
 *
 * <p>{@link #decode} refuses, with a {@link ProtocolException}, what no honest peer sends: a payload
 * that is not bencode, a missing or mistyped {@code msg_type} or {@code piece}, a {@code
 * total_size} above {@value #MAX_TOTAL_SIZE} bytes (before anything is sized by it), a piece
 * index past the end, a data piece of the wrong length. It ignores a {@code msg_type} it does not
 * know, as BEP 9 requires ("an unrecognized message ID MUST be ignored"), so that a later
 * extension of ut_metadata costs a peer nothing.
 */
public sealed interface MetadataMessage {

  /** The name under which both peers list ut_metadata in their handshake's {@code m}. */
  String EXTENSION_NAME = "ut_metadata";

  /** Every piece of the metadata is 16 KiB, except the last (BEP 9). */
  int PIECE_LENGTH = 16 * 1024;

  /**
   * The largest metadata (info dictionary) accepted, 16 MiB: the assembler allocates it whole, so
   * a peer's word for its size is checked against this before anything else. A .torrent file is at
   * most {@link dev.piecemeal.bencode.Metainfo#MAX_FILE_SIZE} (10 MB), so no torrent whose file
   * Piecemeal can load is refused here.
   */
  int MAX_TOTAL_SIZE = 16 * 1024 * 1024;

  /** The most pieces metadata of {@link #MAX_TOTAL_SIZE} can have: 1,024. */
  int MAX_PIECES = MAX_TOTAL_SIZE / PIECE_LENGTH;

  /**
   * The largest payload {@link #decode} reads: a data message's 16 KiB piece and 1 KiB for its
   * dictionary, twenty times what its three keys take. Checked first, so decoding costs little
   * whatever the framing allowed.
   */
  int MAX_PAYLOAD = PIECE_LENGTH + 1024;

  /** The metadata piece this message is about. */
  int piece();

  /** The extended message's payload: the bencoded dictionary (and, for data, the piece after it). */
  byte[] encode();

  /**
   * The extended message to send: {@code peersId} is the id the peer gave {@value
   * #EXTENSION_NAME} in its handshake ({@link ExtendedHandshake#idOf}).
   */
  default Message.Extended message(int peersId) {
    if (peersId < 1 || peersId > 255) {
      throw new IllegalArgumentException("extended id " + peersId + " outside 1..255");
    }
    return new Message.Extended(peersId, encode());
  }

  /** {@code d8:msg_typei0e5:piecei<n>ee}: "send me this piece of the metadata". */
  record Request(int piece) implements MetadataMessage {
    public Request {
      requirePiece(piece);
    }

    @Override
    public byte[] encode() {
      return BencodeEncoder.encode(dictionary(0, piece).build());
    }
  }

  /**
   * {@code d8:msg_typei1e5:piecei<n>e10:total_sizei<size>ee} then the piece's bytes: one piece of
   * the metadata, and the size of the whole.
   *
   * @param piece 0 to {@code pieceCount(totalSize) - 1}
   * @param totalSize the whole metadata's size, 1 to {@value #MAX_TOTAL_SIZE}
   * @param bytes exactly {@link #pieceLength pieceLength(piece, totalSize)} bytes; copied in and out
   */
  record Data(int piece, int totalSize, byte[] bytes) implements MetadataMessage {
    public Data {
      requireTotalSize(totalSize);
      if (piece < 0 || piece >= pieceCount(totalSize)) {
        throw new IllegalArgumentException("piece " + piece + " outside 0.." + (pieceCount(totalSize) - 1)
            + " for total_size " + totalSize);
      }
      if (bytes.length != pieceLength(piece, totalSize)) {
        throw new IllegalArgumentException("piece " + piece + " of total_size " + totalSize + " is "
            + pieceLength(piece, totalSize) + " bytes, not " + bytes.length);
      }
      bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    /** The piece's length, without copying it. */
    public int length() {
      return bytes.length;
    }

    /** Copies the piece into {@code target} at {@code offset}, without a copy in between. */
    void copyTo(byte[] target, int offset) {
      System.arraycopy(bytes, 0, target, offset, bytes.length);
    }

    @Override
    public byte[] encode() {
      byte[] dictionary = BencodeEncoder.encode(dictionary(1, piece).put("total_size", totalSize).build());
      byte[] payload = Arrays.copyOf(dictionary, dictionary.length + bytes.length);
      System.arraycopy(bytes, 0, payload, dictionary.length, bytes.length);
      return payload;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Data that && piece == that.piece && totalSize == that.totalSize
          && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
      return (31 * piece + totalSize) * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "Data[piece " + piece + " of total_size " + totalSize + ", " + bytes.length + " bytes]";
    }
  }

  /** {@code d8:msg_typei2e5:piecei<n>ee}: "I will not send you this piece". */
  record Reject(int piece) implements MetadataMessage {
    public Reject {
      requirePiece(piece);
    }

    @Override
    public byte[] encode() {
      return BencodeEncoder.encode(dictionary(2, piece).build());
    }
  }

  /** How many pieces metadata of {@code totalSize} bytes has: 34,256 bytes are 3. */
  static int pieceCount(int totalSize) {
    requireTotalSize(totalSize);
    return (totalSize + PIECE_LENGTH - 1) / PIECE_LENGTH;
  }

  /** The length of piece {@code piece}: {@value #PIECE_LENGTH}, except the last, which holds the rest. */
  static int pieceLength(int piece, int totalSize) {
    return Math.min(PIECE_LENGTH, totalSize - piece * PIECE_LENGTH);
  }

  /**
   * Reads one ut_metadata payload.
   *
   * @return the message; empty for a {@code msg_type} this client does not know (BEP 9: ignored)
   * @throws ProtocolException the payload is not a ut_metadata message (see the class comment)
   */
  static Optional<MetadataMessage> decode(byte[] payload) throws ProtocolException {
    // 1. the size, before any work
    if (payload.length > MAX_PAYLOAD) {
      throw refused(payload.length + " bytes, more than the " + MAX_PAYLOAD + " a message may be");
    }
    // 2. the dictionary: leniently, as a .torrent is read (a data piece follows it, so the
    //    strict "nothing after the value" cannot apply), then where it ends
    BencodeValue decoded;
    try {
      decoded = BencodeDecoder.decodeTorrent(payload);
    } catch (BencodeException e) {
      throw refused("not bencode: " + e.getMessage());
    }
    if (!(decoded instanceof BencodeDictionary dictionary)) {
      throw refused("must be a dictionary, found " + decoded.kind());
    }
    int dataStart = end(dictionary);

    // 3. the two keys every message has
    long msgType = integer(dictionary, "msg_type");
    long piece = integer(dictionary, "piece");
    if (piece < 0 || piece > Integer.MAX_VALUE) {
      throw refused("piece " + piece + " is not a piece index");
    }
    // 4. by type. BEP 9: "an unrecognized message ID MUST be ignored". Bytes after a request's
    //    or a reject's dictionary are ignored too: they change nothing it asks.
    if (msgType < 0 || msgType > 2) {
      return Optional.empty();
    }
    return Optional.of(switch ((int) msgType) {
      case 0 -> new Request((int) piece);
      case 1 -> data((int) piece, dictionary, payload, dataStart);
      default -> new Reject((int) piece);
    });
  }

  /** The rest of a data message: {@code total_size}, checked first, then the piece after the dictionary. */
  private static Data data(int piece, BencodeDictionary dictionary, byte[] payload, int dataStart)
      throws ProtocolException {
    long totalSize = integer(dictionary, "total_size");
    if (totalSize < 1 || totalSize > MAX_TOTAL_SIZE) {
      throw refused("data: total_size " + totalSize + " is outside 1.." + MAX_TOTAL_SIZE
          + " (the largest metadata Piecemeal accepts)");
    }
    int pieces = pieceCount((int) totalSize);
    if (piece >= pieces) {
      throw refused("data: piece " + piece + " is past the end: total_size " + totalSize + " has "
          + pieces + (pieces == 1 ? " piece" : " pieces") + ", 0.." + (pieces - 1));
    }
    int expected = pieceLength(piece, (int) totalSize);
    int length = payload.length - dataStart;
    if (length != expected) {
      throw refused("data: piece " + piece + " of total_size " + totalSize + " must be " + expected
          + " bytes, not " + length);
    }
    return new Data(piece, (int) totalSize, Arrays.copyOfRange(payload, dataStart, payload.length));
  }

  /**
   * Where the dictionary ends in the payload, from the spans the decoder records: after the last
   * entry's value comes the dictionary's {@code e}. (01-bencode's decoder tells where each value
   * is, not where the whole input stopped.)
   */
  private static int end(BencodeDictionary dictionary) {
    if (dictionary.size() == 0) {
      return 2; // "de"
    }
    return dictionary.entries().get(dictionary.size() - 1).valueSpan().orElseThrow().end() + 1;
  }

  private static long integer(BencodeDictionary dictionary, String key) throws ProtocolException {
    Optional<BencodeValue> value = dictionary.get(key);
    if (value.isEmpty()) {
      throw refused("no " + key);
    }
    if (!(value.get() instanceof BencodeInteger integer)) {
      throw refused(key + " must be an integer, found " + value.get().kind());
    }
    return integer.value();
  }

  private static ProtocolException refused(String problem) {
    return new ProtocolException("ut_metadata: " + problem);
  }

  private static BencodeDictionary.Builder dictionary(int msgType, int piece) {
    return BencodeDictionary.builder().put("msg_type", msgType).put("piece", piece);
  }

  private static void requirePiece(int piece) {
    if (piece < 0) {
      throw new IllegalArgumentException("negative metadata piece " + piece);
    }
  }

  private static void requireTotalSize(int totalSize) {
    if (totalSize < 1 || totalSize > MAX_TOTAL_SIZE) {
      throw new IllegalArgumentException("total_size " + totalSize + " outside 1.." + MAX_TOTAL_SIZE);
    }
  }
}
