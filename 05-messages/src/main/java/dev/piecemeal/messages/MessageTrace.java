package dev.piecemeal.messages;

/**
 * One readable line per message, the way a protocol analyser shows a conversation: what
 * {@code piecemeal peers --trace} prints for every message sent ({@code ->}) and received
 * ({@code <-}). The line is short whatever the message carries: a bitfield shows how many pieces
 * it says the peer has, not its bits; a piece shows which block it is, not its bytes; an extended
 * message shows its extended id and payload length (the command adds the decoded dictionary of a
 * BEP 10 handshake, with chapter 1's decoder, which this module does not depend on).
 *
 * <pre>
 * MessageTrace trace = new MessageTrace(40);
 * trace.received(bitfield)   // "&lt;- bitfield 40/40 pieces"
 * trace.sent(request)        // "-&gt; request piece 0 begin 0 length 16384"
 * trace.received(piece)      // "&lt;- piece piece 0 begin 0 length 16384"
 * trace.received(extended)   // "&lt;- extended id 0 (handshake), 187 bytes"
 * </pre>
 *
 * <p>Names come from {@link MessageIds#name}, so a trace and an error message call a message the
 * same thing. Immutable; any thread may use it.
 */
public final class MessageTrace {

  /** The arrow for a message we sent. */
  public static final String SENT = "->";
  /** The arrow for a message we received. */
  public static final String RECEIVED = "<-";

  private final int pieceCount;

  /** @param pieceCount the torrent's number of pieces: a bitfield is shown against it */
  public MessageTrace(int pieceCount) {
    if (pieceCount < 1) {
      throw new IllegalArgumentException("piece count " + pieceCount + " is not positive");
    }
    this.pieceCount = pieceCount;
  }

  /** {@code -> } and the message's line: a message we sent. */
  public String sent(Message message) {
    return SENT + " " + describe(message);
  }

  /** {@code <- } and the message's line: a message we received. */
  public String received(Message message) {
    return RECEIVED + " " + describe(message);
  }

  /** The message in one line, without an arrow: its name as the specs write it, then its fields. */
  public String describe(Message message) {
    if (message instanceof Message.KeepAlive) {
      return "keep-alive";
    } else if (message instanceof Message.Choke) {
      return MessageIds.name(MessageIds.CHOKE);
    } else if (message instanceof Message.Unchoke) {
      return MessageIds.name(MessageIds.UNCHOKE);
    } else if (message instanceof Message.Interested) {
      return MessageIds.name(MessageIds.INTERESTED);
    } else if (message instanceof Message.NotInterested) {
      return MessageIds.name(MessageIds.NOT_INTERESTED);
    } else if (message instanceof Message.Have have) {
      return MessageIds.name(MessageIds.HAVE) + " piece " + have.pieceIndex();
    } else if (message instanceof Message.Bitfield bitfield) {
      return MessageIds.name(MessageIds.BITFIELD) + " " + bitfield(bitfield);
    } else if (message instanceof Message.Request request) {
      return MessageIds.name(MessageIds.REQUEST) + " " + block(request.block());
    } else if (message instanceof Message.Piece piece) {
      return MessageIds.name(MessageIds.PIECE) + " " + block(piece.request());
    } else if (message instanceof Message.Cancel cancel) {
      return MessageIds.name(MessageIds.CANCEL) + " " + block(cancel.block());
    } else if (message instanceof Message.Port port) {
      return MessageIds.name(MessageIds.PORT) + " " + port.port();
    } else if (message instanceof Message.Suggest suggest) {
      return MessageIds.name(MessageIds.SUGGEST) + " piece " + suggest.pieceIndex();
    } else if (message instanceof Message.HaveAll) {
      return MessageIds.name(MessageIds.HAVE_ALL);
    } else if (message instanceof Message.HaveNone) {
      return MessageIds.name(MessageIds.HAVE_NONE);
    } else if (message instanceof Message.RejectRequest reject) {
      return MessageIds.name(MessageIds.REJECT_REQUEST) + " " + block(reject.block());
    } else if (message instanceof Message.AllowedFast allowed) {
      return MessageIds.name(MessageIds.ALLOWED_FAST) + " piece " + allowed.pieceIndex();
    } else if (message instanceof Message.Extended extended) {
      // BEP 10: extended id 0 is the extension handshake; the others are ids the peers agreed in it.
      return MessageIds.name(MessageIds.EXTENDED) + " id " + extended.extendedId()
          + (extended.extendedId() == 0 ? " (handshake), " : ", ") + bytes(extended.length());
    }
    throw new IllegalArgumentException("no trace line for " + message);
  }

  /**
   * {@code 37/40 pieces}: the bits set among the torrent's pieces. A bitfield of the wrong length
   * for this torrent (which {@link MessageReader} refuses, but a record can be made by hand) says
   * so instead of guessing.
   */
  private String bitfield(Message.Bitfield bitfield) {
    byte[] bits = bitfield.bytes();
    int expected = (pieceCount + 7) / 8;
    if (bits.length != expected) {
      return "of " + bytes(bits.length) + " (" + expected + " for " + pieceCount + " pieces), "
          + setBits(bits, bits.length * 8) + " bits set";
    }
    int spare = setBits(bits, bits.length * 8) - setBits(bits, pieceCount);
    return setBits(bits, pieceCount) + "/" + pieceCount + " pieces"
        + (spare == 0 ? "" : ", " + spare + " spare bits set");
  }

  /** The bits set among the first {@code count}, high bit of byte 0 first (BEP 3). */
  private static int setBits(byte[] bits, int count) {
    int set = 0;
    for (int i = 0; i < count / 8; i++) {
      set += Integer.bitCount(bits[i] & 0xff);
    }
    if (count % 8 != 0) {
      int keep = 0xff << (8 - count % 8); // the high (count % 8) bits of the last byte
      set += Integer.bitCount(bits[count / 8] & keep & 0xff);
    }
    return set;
  }

  private static String block(BlockRequest block) {
    return "piece " + block.pieceIndex() + " begin " + block.begin() + " length " + block.length();
  }

  private static String bytes(int count) {
    return count + (count == 1 ? " byte" : " bytes");
  }
}
