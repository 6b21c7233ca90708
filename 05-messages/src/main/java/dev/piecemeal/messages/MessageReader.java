package dev.piecemeal.messages;

import static dev.piecemeal.messages.MessageIds.ALLOWED_FAST;
import static dev.piecemeal.messages.MessageIds.BITFIELD;
import static dev.piecemeal.messages.MessageIds.CANCEL;
import static dev.piecemeal.messages.MessageIds.CHOKE;
import static dev.piecemeal.messages.MessageIds.EXTENDED;
import static dev.piecemeal.messages.MessageIds.HAVE;
import static dev.piecemeal.messages.MessageIds.HAVE_ALL;
import static dev.piecemeal.messages.MessageIds.HAVE_NONE;
import static dev.piecemeal.messages.MessageIds.INTERESTED;
import static dev.piecemeal.messages.MessageIds.NOT_INTERESTED;
import static dev.piecemeal.messages.MessageIds.PIECE;
import static dev.piecemeal.messages.MessageIds.PORT;
import static dev.piecemeal.messages.MessageIds.REJECT_REQUEST;
import static dev.piecemeal.messages.MessageIds.REQUEST;
import static dev.piecemeal.messages.MessageIds.SUGGEST;
import static dev.piecemeal.messages.MessageIds.UNCHOKE;

import dev.piecemeal.handshake.ProtocolException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Reads whole messages from a peer's stream, however TCP cut them into segments (BEP 3, "peer
 * messages"). Each message is a 4-byte big-endian length, then that many bytes, the first of which
 * is the id:
 *
 * <pre>
 * 0000000d | 07    | 00000001 | 00004000    | cafebabe
 * length 13| piece | index 1  | begin 16384 | the block (13 - 9 = 4 bytes)
 * </pre>
 *
 * <p>A length is a claim made by a stranger. The reader checks it against {@link MessageLimits}
 * before it reads or allocates anything: larger than any legal message for this torrent, or wrong
 * for its id (a 3-byte have), is a {@link ProtocolException} and the connection should end. A
 * message with an unknown id is skipped by its length: peers speak extensions we may not know, and
 * the length says where the next message begins. A stream that ends mid-message throws an {@link
 * EOFException} that says how far it got: {@code connection closed after 7 of 13 bytes of a piece
 * message}.
 *
 * <p>After any exception the reader may be in the middle of a message, so the connection is over.
 * That includes a {@link java.net.SocketTimeoutException}: the bytes of a message read before the
 * timeout are gone, and the next {@code read} would take the middle of a message for a length.
 *
 * <p>Owned by the one thread that reads the connection. Give it a buffered stream ({@code new
 * BufferedInputStream(socket.getInputStream())}): it reads small fields a few bytes at a time.
 *
 * <p>Each piece message gets a fresh array for its block, which it keeps, unless the reader was
 * made by {@link #reusingBlockBuffer}: then every piece message shares one array, overwritten by
 * the next {@code read}.
 */
public final class MessageReader {

  private final InputStream in;
  private final MessageLimits limits;
  /** The largest length prefix any message may carry for this torrent. */
  private final long largest;
  /** Room for the fixed fields of any message (13 bytes); never sized by the peer. */
  private final byte[] scratch = new byte[13];
  /** The one array every piece message's block is read into, or null for a fresh array each. */
  private final byte[] blockBuffer;

  // What the reader is in the middle of, for the error when the stream ends early.
  private String reading = "";
  private long expected;
  private long progress;

  /** A reader of the messages of one connection, for a torrent with these limits. */
  public MessageReader(InputStream in, MessageLimits limits) {
    this(in, limits, null);
  }

  /**
   * A reader whose piece messages all share one 16 KiB block array, overwritten by the next {@link
   * #read}: for a caller that stores or copies each block before it reads again, as a download's
   * peer session does, so that the blocks of a download leave no garbage behind (a fresh array per
   * block is a gibibyte of garbage per gibibyte downloaded, and a heap that grows to hold it).
   */
  public static MessageReader reusingBlockBuffer(InputStream in, MessageLimits limits) {
    return new MessageReader(in, limits, new byte[BlockRequest.MAX_LENGTH]);
  }

  private MessageReader(InputStream in, MessageLimits limits, byte[] blockBuffer) {
    this.in = in;
    this.blockBuffer = blockBuffer;
    this.limits = limits;
    long largestPiece = 1 + 4 + 4 + BlockRequest.MAX_LENGTH;
    long largestBitfield = 1 + (long) limits.bitfieldLength();
    long largestExtended = 1 + 1 + (long) limits.maxExtendedPayload();
    this.largest = Math.max(largestPiece, Math.max(largestBitfield, largestExtended));
  }

  /**
   * The next message; messages with unknown ids are skipped.
   *
   * @throws EOFException the stream ended, between messages or in the middle of one
   * @throws ProtocolException the peer sent a length or a field no legal message has
   */
  public Message read() throws IOException, ProtocolException {
    while (true) {
      Message message = message();
      if (message != null) {
        return message;
      }
    }
  }

  /** One message, or null for one skipped because its id is unknown. */
  private Message message() throws IOException, ProtocolException {
    // tag::check-length[]
    // 1. the length prefix: four bytes, big-endian, unsigned
    begin("a length prefix", 4);
    long length = Integer.toUnsignedLong(readInt());
    if (length == 0) {
      return new Message.KeepAlive();
    }
    // 2. a length is a claim, not a fact: refuse it before it sizes anything
    if (length > largest) {
      throw new ProtocolException(
          "length prefix " + length + " exceeds the largest legal message (" + largest + " bytes)");
    }
    // 3. the id, then the length this id allows
    begin("a message", length);
    int id = readUnsignedByte();
    reading = article(MessageIds.name(id)) + " message";
    checkLength(id, length);
    // end::check-length[]

    // 4. the fields, decoded by id; any length below was checked in step 3
    return switch (id) {
      case CHOKE -> new Message.Choke();
      case UNCHOKE -> new Message.Unchoke();
      case INTERESTED -> new Message.Interested();
      case NOT_INTERESTED -> new Message.NotInterested();
      case HAVE -> new Message.Have(pieceIndex());
      case BITFIELD -> new Message.Bitfield(readBytes((int) length - 1));
      case REQUEST -> new Message.Request(block());
      case PIECE -> piece((int) length - 1 - 8);
      case CANCEL -> new Message.Cancel(block());
      case PORT -> new Message.Port(readUnsignedShort());
      case SUGGEST -> new Message.Suggest(pieceIndex());
      case HAVE_ALL -> new Message.HaveAll();
      case HAVE_NONE -> new Message.HaveNone();
      case REJECT_REQUEST -> new Message.RejectRequest(block());
      case ALLOWED_FAST -> new Message.AllowedFast(pieceIndex());
      case EXTENDED -> new Message.Extended(readUnsignedByte(), readBytes((int) length - 2));
      default -> {
        skip(length - 1);
        yield null;
      }
    };
  }

  /** The smallest and largest length prefix each id allows, including the id byte. */
  private record Bounds(long min, long max) {
    static Bounds exactly(long length) {
      return new Bounds(length, length);
    }
  }

  private Bounds bounds(int id) {
    return switch (id) {
      case CHOKE, UNCHOKE, INTERESTED, NOT_INTERESTED, HAVE_ALL, HAVE_NONE -> Bounds.exactly(1);
      case HAVE, SUGGEST, ALLOWED_FAST -> Bounds.exactly(1 + 4);
      case BITFIELD -> limits.exactBitfield()
          ? Bounds.exactly(1 + limits.bitfieldLength())
          : new Bounds(1 + 1, 1 + limits.bitfieldLength());
      case REQUEST, CANCEL, REJECT_REQUEST -> Bounds.exactly(1 + 4 + 4 + 4);
      case PORT -> Bounds.exactly(1 + 2);
      case PIECE -> new Bounds(1 + 4 + 4 + 1, 1 + 4 + 4 + BlockRequest.MAX_LENGTH);
      case EXTENDED -> new Bounds(1 + 1, 1 + 1 + (long) limits.maxExtendedPayload());
      default -> new Bounds(1, largest);
    };
  }

  private void checkLength(int id, long length) throws ProtocolException {
    Bounds bounds = bounds(id);
    String name = MessageIds.name(id);
    if (bounds.min() == bounds.max() && length != bounds.min()) {
      throw new ProtocolException(
          name + " message of " + length + " bytes, expected " + bounds.min());
    }
    if (length > bounds.max()) {
      throw new ProtocolException(
          name + " message of " + length + " bytes exceeds the largest legal one ("
              + bounds.max() + " bytes)");
    }
    if (length < bounds.min()) {
      throw new ProtocolException(
          name + " message of " + length + " bytes is shorter than the smallest legal one ("
              + bounds.min() + " bytes)");
    }
  }

  private Message.Piece piece(int blockLength) throws IOException, ProtocolException {
    int index = pieceIndex();
    int begin = offset();
    // tag::read-block[]
    // The block goes straight from the stream into an array of the checked length: a fresh one
    // that the Piece keeps, or the reader's one reused block array, which the next read
    // overwrites. Either way storage copies it once into its piece, with no copy before. (A
    // BufferedInputStream passes a read larger than its 8 KiB buffer through to the socket, so
    // most of a 16 KiB block is not staged in the buffer either.)
    byte[] block = blockBuffer != null ? blockBuffer : new byte[blockLength];
    require(block, 0, blockLength);
    return new Message.Piece(index, begin, ByteBuffer.wrap(block, 0, blockLength));
    // end::read-block[]
  }

  private BlockRequest block() throws IOException, ProtocolException {
    int index = pieceIndex();
    int begin = offset();
    long length = Integer.toUnsignedLong(readInt());
    if (length < 1 || length > BlockRequest.MAX_LENGTH) {
      throw new ProtocolException(
          "block length " + length + " in " + reading + " outside 1.." + BlockRequest.MAX_LENGTH
              + " bytes");
    }
    return new BlockRequest(index, begin, (int) length);
  }

  private int pieceIndex() throws IOException, ProtocolException {
    long index = Integer.toUnsignedLong(readInt());
    if (index >= limits.pieceCount()) {
      throw new ProtocolException(
          "piece index " + index + " in " + reading + " is beyond the last piece ("
              + (limits.pieceCount() - 1) + ")");
    }
    return (int) index;
  }

  private int offset() throws IOException, ProtocolException {
    int begin = readInt();
    if (begin < 0) {
      throw new ProtocolException(
          "block offset " + Integer.toUnsignedLong(begin) + " in " + reading
              + " is larger than any piece");
    }
    return begin;
  }

  // The primitives. Each reads exactly what it needs, or throws saying how far it got.

  private void begin(String what, long length) {
    reading = what;
    expected = length;
    progress = 0;
  }

  private int readInt() throws IOException {
    require(scratch, 0, 4);
    return ByteBuffer.wrap(scratch, 0, 4).getInt();
  }

  private int readUnsignedShort() throws IOException {
    require(scratch, 0, 2);
    return ((scratch[0] & 0xff) << 8) | (scratch[1] & 0xff);
  }

  private int readUnsignedByte() throws IOException {
    require(scratch, 0, 1);
    return scratch[0] & 0xff;
  }

  /** Reads {@code count} bytes into a fresh array; the caller has checked {@code count}. */
  private byte[] readBytes(int count) throws IOException {
    byte[] bytes = new byte[count];
    require(bytes, 0, count);
    return bytes;
  }

  private void skip(long count) throws IOException {
    byte[] sink = new byte[(int) Math.min(count, 4096)];
    for (long left = count; left > 0; ) {
      int chunk = (int) Math.min(left, sink.length);
      require(sink, 0, chunk);
      left -= chunk;
    }
  }

  /** Reads exactly {@code count} bytes, in as many reads as the stream needs. */
  private void require(byte[] into, int offset, int count) throws IOException {
    int done = 0;
    while (done < count) {
      int n = in.read(into, offset + done, count - done);
      if (n < 0) {
        throw new EOFException(
            "connection closed after " + (progress + done) + " of " + expected + " bytes of "
                + reading);
      }
      done += n;
    }
    progress += count;
  }

  private static String article(String name) {
    return ("aeiou".indexOf(name.charAt(0)) >= 0 ? "an " : "a ") + name;
  }
}
