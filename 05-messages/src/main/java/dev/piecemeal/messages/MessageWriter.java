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

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Writes messages to a peer's stream, in the framing {@link MessageReader} reads (BEP 3, "peer
 * messages"): a 4-byte big-endian length, the id, the fields.
 *
 * <pre>
 * writer.write(new Message.Have(1));   // 00000005 04 00000001
 * writer.flush();
 * </pre>
 *
 * <p>Owned by one thread at a time: the peer session serializes its writes. Give it a buffered
 * stream ({@code new BufferedOutputStream(socket.getOutputStream())}) and call {@link #flush()}
 * when a batch of messages is done; {@link #write} never flushes on its own.
 */
public final class MessageWriter {

  private final OutputStream out;
  /** Room for the length, id and fixed fields of any message (4 + 1 + 12 bytes). */
  private final byte[] header = new byte[17];

  /** A writer of messages to one connection's stream. */
  public MessageWriter(OutputStream out) {
    this.out = out;
  }

  /** Writes one message; nothing reaches the peer before {@link #flush()}. */
  public void write(Message message) throws IOException {
    // One instanceof chain, in the id order of the message table, mirroring MessageReader's switch.
    if (message instanceof Message.KeepAlive) {
      ByteBuffer.wrap(header).putInt(0);
      out.write(header, 0, 4);
    } else if (message instanceof Message.Choke) {
      bare(CHOKE);
    } else if (message instanceof Message.Unchoke) {
      bare(UNCHOKE);
    } else if (message instanceof Message.Interested) {
      bare(INTERESTED);
    } else if (message instanceof Message.NotInterested) {
      bare(NOT_INTERESTED);
    } else if (message instanceof Message.Have have) {
      withIndex(HAVE, have.pieceIndex());
    } else if (message instanceof Message.Bitfield bitfield) {
      byte[] bytes = bitfield.bytes();
      ByteBuffer fields = start(BITFIELD, bytes.length);
      out.write(header, 0, fields.position());
      out.write(bytes);
    } else if (message instanceof Message.Request request) {
      withBlock(REQUEST, request.block());
    } else if (message instanceof Message.Piece piece) {
      piece(piece);
    } else if (message instanceof Message.Cancel cancel) {
      withBlock(CANCEL, cancel.block());
    } else if (message instanceof Message.Port port) {
      ByteBuffer fields = start(PORT, 2).putShort((short) port.port());
      out.write(header, 0, fields.position());
    } else if (message instanceof Message.Suggest suggest) {
      withIndex(SUGGEST, suggest.pieceIndex());
    } else if (message instanceof Message.HaveAll) {
      bare(HAVE_ALL);
    } else if (message instanceof Message.HaveNone) {
      bare(HAVE_NONE);
    } else if (message instanceof Message.RejectRequest reject) {
      withBlock(REJECT_REQUEST, reject.block());
    } else if (message instanceof Message.AllowedFast allowed) {
      withIndex(ALLOWED_FAST, allowed.pieceIndex());
    } else if (message instanceof Message.Extended extended) {
      byte[] payload = extended.payload();
      ByteBuffer fields = start(EXTENDED, 1 + payload.length).put((byte) extended.extendedId());
      out.write(header, 0, fields.position());
      out.write(payload);
    } else {
      throw new IllegalArgumentException("no encoding for " + message);
    }
  }

  /** Sends everything written so far. */
  public void flush() throws IOException {
    out.flush();
  }

  private void piece(Message.Piece piece) throws IOException {
    ByteBuffer block = piece.block();
    ByteBuffer fields =
        start(PIECE, 4 + 4 + block.remaining()).putInt(piece.pieceIndex()).putInt(piece.begin());
    // tag::write-block[]
    // Two writes, never one concatenated array: the 13-byte header, then the block from the
    // array that holds it. A BufferedOutputStream passes a write at least as large as its buffer
    // (a 16 KiB block, against its 8 KiB default) straight to the socket, so the block is not
    // copied on our side; the JDK's own copy into native memory for the send is the only one.
    out.write(header, 0, fields.position());
    if (block.hasArray()) {
      out.write(block.array(), block.arrayOffset() + block.position(), block.remaining());
    } else {
      // A direct or mapped buffer has no array to hand over: copy it out once.
      byte[] copy = new byte[block.remaining()];
      block.get(copy);
      out.write(copy);
    }
    // end::write-block[]
  }

  private void bare(int id) throws IOException {
    ByteBuffer fields = start(id, 0);
    out.write(header, 0, fields.position());
  }

  private void withIndex(int id, int pieceIndex) throws IOException {
    ByteBuffer fields = start(id, 4).putInt(pieceIndex);
    out.write(header, 0, fields.position());
  }

  private void withBlock(int id, BlockRequest block) throws IOException {
    ByteBuffer fields =
        start(id, 12).putInt(block.pieceIndex()).putInt(block.begin()).putInt(block.length());
    out.write(header, 0, fields.position());
  }

  /** Puts the length prefix (1 for the id plus the rest) and the id into the header. */
  private ByteBuffer start(int id, int restLength) {
    return ByteBuffer.wrap(header).putInt(1 + restLength).put((byte) id);
  }
}
