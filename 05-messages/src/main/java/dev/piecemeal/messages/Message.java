package dev.piecemeal.messages;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A peer wire message: everything two peers say to each other after the handshake (BEP 3, "peer
 * messages"). The family is closed: one record per message, each showing its bytes on the wire.
 * {@link MessageReader} turns bytes into these records, {@link MessageWriter} turns them back.
 *
 * <p>Every message but keep-alive is framed the same way: a 4-byte big-endian length, then that
 * many bytes, of which the first is the id ({@link MessageIds}):
 *
 * <pre>
 * 00000005 | 04 | 00000001
 * length 5 | id 4: have | piece 1
 * </pre>
 *
 * <p>Java 17 has no pattern {@code switch} over types; code that acts on a message uses one {@code
 * instanceof} chain in one place (the peer session, chapter 8).
 */
public sealed interface Message {

  /** Keep-alive: a length of 0 and nothing else, sent so an idle connection is not dropped. */
  record KeepAlive() implements Message {}

  /** {@code 00000001 00}: "I will not answer your requests" (BEP 3). */
  record Choke() implements Message {}

  /** {@code 00000001 01}: "ask me for blocks" (BEP 3). */
  record Unchoke() implements Message {}

  /** {@code 00000001 02}: "you have pieces I want" (BEP 3). */
  record Interested() implements Message {}

  /** {@code 00000001 03}: "you have nothing I want" (BEP 3). */
  record NotInterested() implements Message {}

  /**
   * {@code 00000005 04 <index>}: "I now have this piece, verified" (BEP 3).
   *
   * @param pieceIndex the piece, counted from 0
   */
  record Have(int pieceIndex) implements Message {
    public Have {
      requirePieceIndex(pieceIndex);
    }
  }

  /**
   * {@code <1 + n> 05 <n bytes>}: every piece the sender has, one bit per piece, the high bit of
   * the first byte for piece 0 (BEP 3). Sent only as the first message, if at all. Chapter 6's
   * {@code Bitfield.fromBytes} checks its length and spare bits against the torrent.
   *
   * @param bytes the bits as sent; copied in and out
   */
  record Bitfield(byte[] bytes) implements Message {
    public Bitfield {
      bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    /** The number of bytes, without copying them. */
    public int length() {
      return bytes.length;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Bitfield that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "Bitfield[" + bytes.length + " bytes]";
    }
  }

  /**
   * {@code 0000000d 06 <index> <begin> <length>}: "send me this block" (BEP 3).
   *
   * @param block the block asked for
   */
  record Request(BlockRequest block) implements Message {
    public Request {
      requireBlock(block);
    }
  }

  /**
   * {@code <9 + n> 07 <index> <begin> <n bytes>}: one block of data (BEP 3).
   *
   * <p>The record shares its block instead of copying it, unlike every other record here that holds
   * bytes: a block is 16 KiB on the hottest path of the client, read once by {@link MessageReader}
   * into a buffer nobody else holds, and written once to disk or to a socket. {@link #block()}
   * returns a new view of the same bytes (its own position and limit, no copy); treat its content
   * as read-only.
   *
   * @param pieceIndex the piece, counted from 0
   * @param begin the block's offset inside the piece
   * @param block the data, from its position to its limit: 1 to {@link BlockRequest#MAX_LENGTH}
   *     bytes
   */
  record Piece(int pieceIndex, int begin, ByteBuffer block) implements Message {
    public Piece {
      requirePieceIndex(pieceIndex);
      if (begin < 0) {
        throw new IllegalArgumentException("negative block offset " + begin);
      }
      if (block.remaining() < 1 || block.remaining() > BlockRequest.MAX_LENGTH) {
        throw new IllegalArgumentException(
            "block of " + block.remaining() + " bytes outside 1.." + BlockRequest.MAX_LENGTH);
      }
      block = block.slice();
    }

    /** A piece message over a whole array, without copying it. */
    public static Piece of(int pieceIndex, int begin, byte[] block) {
      return new Piece(pieceIndex, begin, ByteBuffer.wrap(block));
    }

    @Override
    public ByteBuffer block() {
      return block.duplicate();
    }

    /** The block's length in bytes. */
    public int length() {
      return block.remaining();
    }

    /** The request this block answers. */
    public BlockRequest request() {
      return new BlockRequest(pieceIndex, begin, block.remaining());
    }

    @Override
    public String toString() {
      return "Piece[" + pieceIndex + ":" + begin + "+" + block.remaining() + "]";
    }
  }

  /**
   * {@code 0000000d 08 <index> <begin> <length>}: "forget my request for this block" (BEP 3).
   *
   * @param block the block no longer wanted
   */
  record Cancel(BlockRequest block) implements Message {
    public Cancel {
      requireBlock(block);
    }
  }

  /**
   * {@code 00000003 09 <port>}: the sender's DHT node listens on this UDP port (BEP 5).
   *
   * @param port 0 to 65535, sent as two unsigned bytes
   */
  record Port(int port) implements Message {
    public Port {
      if (port < 0 || port > 0xffff) {
        throw new IllegalArgumentException("port " + port + " outside 0..65535");
      }
    }
  }

  /**
   * {@code 00000005 0d <index>}: "you might want to download this piece from me" (BEP 6).
   *
   * @param pieceIndex the piece, counted from 0
   */
  record Suggest(int pieceIndex) implements Message {
    public Suggest {
      requirePieceIndex(pieceIndex);
    }
  }

  /** {@code 00000001 0e}: instead of a bitfield, "I have every piece" (BEP 6). */
  record HaveAll() implements Message {}

  /** {@code 00000001 0f}: instead of a bitfield, "I have no piece" (BEP 6). */
  record HaveNone() implements Message {}

  /**
   * {@code 0000000d 10 <index> <begin> <length>}: "I will not send you this block" (BEP 6).
   *
   * @param block the request that will not be answered
   */
  record RejectRequest(BlockRequest block) implements Message {
    public RejectRequest {
      requireBlock(block);
    }
  }

  /**
   * {@code 00000005 11 <index>}: "you may request this piece even while I choke you" (BEP 6).
   *
   * @param pieceIndex the piece, counted from 0
   */
  record AllowedFast(int pieceIndex) implements Message {
    public AllowedFast {
      requirePieceIndex(pieceIndex);
    }
  }

  /**
   * {@code <2 + n> 14 <extended id> <n bytes>}: a message of the extension protocol (BEP 10).
   * Extended id 0 is the extension handshake; the others are whatever ids the two peers agreed in
   * it. The payload stays raw here: a bencoded dictionary (for ut_metadata, followed by data),
   * which Piecemeal shows in a trace and acts on no further.
   *
   * @param extendedId 0 to 255
   * @param payload the bytes after the extended id; copied in and out
   */
  record Extended(int extendedId, byte[] payload) implements Message {
    public Extended {
      if (extendedId < 0 || extendedId > 0xff) {
        throw new IllegalArgumentException("extended id " + extendedId + " outside 0..255");
      }
      payload = payload.clone();
    }

    @Override
    public byte[] payload() {
      return payload.clone();
    }

    /** The payload's length, without copying it. */
    public int length() {
      return payload.length;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Extended that
          && extendedId == that.extendedId
          && Arrays.equals(payload, that.payload);
    }

    @Override
    public int hashCode() {
      return 31 * extendedId + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
      return "Extended[id " + extendedId + ", " + payload.length + " bytes]";
    }
  }

  private static void requirePieceIndex(int pieceIndex) {
    if (pieceIndex < 0) {
      throw new IllegalArgumentException("negative piece index " + pieceIndex);
    }
  }

  private static void requireBlock(BlockRequest block) {
    Objects.requireNonNull(block, "block");
  }
}
