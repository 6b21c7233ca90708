package dev.piecemeal.client.cli;

import dev.piecemeal.bencode.BencodeDecoder;
import dev.piecemeal.bencode.BencodeException;
import dev.piecemeal.client.Printable;
import dev.piecemeal.client.WireTrace;
import dev.piecemeal.handshake.Handshake;
import dev.piecemeal.messages.Message;
import dev.piecemeal.messages.MessageTrace;
import dev.piecemeal.peers.ClientName;
import dev.piecemeal.tracker.PeerAddress;
import java.util.function.Consumer;

/**
 * What {@code --trace} prints, for {@code piecemeal peers} and {@code piecemeal download} alike:
 * one line per message, the peer's address, the direction, and chapter 5's {@link MessageTrace}
 * line; a BEP 10 extension handshake also shows its dictionary, decoded by chapter 1's decoder
 * and shown by {@link BencodeOneLine}.
 *
 * <pre>
 * 127.0.0.1:51413 -&gt; handshake info hash 8c0f…  peer id -PM0100-…  extensions BEP6-fast, BEP10-extension-protocol
 * 127.0.0.1:51413 &lt;- bitfield 17/17 pieces
 * 127.0.0.1:51413 &lt;- extended id 0 (handshake), 187 bytes {m: {ut_metadata: 3}, v: "Transmission 3.00", reqq: 512}
 * 127.0.0.1:51413 -&gt; request piece 0 begin 0 length 16384
 * </pre>
 *
 * <p>Lines go to the printer given, which is called from many peer threads and must print each
 * line whole (both commands' printers are synchronized).
 */
final class TraceLines implements WireTrace {

  private final MessageTrace messages;
  private final Consumer<String> printer;

  /**
   * @param pieceCount the torrent's number of pieces, for bitfield lines
   * @param printer prints one whole line
   */
  TraceLines(int pieceCount, Consumer<String> printer) {
    this.messages = new MessageTrace(pieceCount);
    this.printer = printer;
  }

  /** The engine's hook ({@code download --trace}): one line per message read or written. */
  @Override
  public void message(PeerAddress peer, boolean sent, Message message) {
    printer.accept(line(peer, sent, message));
  }

  /** A handshake we sent or received: info hash, peer id (and the client it names), extensions. */
  void handshake(PeerAddress peer, boolean sent, Handshake handshake) {
    printer.accept(peer + " " + (sent ? MessageTrace.SENT : MessageTrace.RECEIVED) + " handshake"
        + " info hash " + handshake.infoHash().hex()
        + "  peer id " + handshake.peerId().printable()
        + ClientName.fromPeerId(handshake.peerId()).map(name -> " (" + name + ")").orElse("")
        + "  extensions " + handshake.extensions());
  }

  /** {@code ADDRESS -> MESSAGE}, or {@code ADDRESS <- MESSAGE}, and an extension handshake's dictionary. */
  String line(PeerAddress peer, boolean sent, Message message) {
    return peer + " " + (sent ? messages.sent(message) : messages.received(message)) + extensionHandshakeText(message);
  }

  /** For an extension handshake, a space and its dictionary decoded; for any other message, nothing. */
  static String extensionHandshakeText(Message message) {
    if (!(message instanceof Message.Extended extended) || extended.extendedId() != 0) {
      return "";
    }
    try {
      return " " + BencodeOneLine.of(BencodeDecoder.decode(extended.payload()));
    } catch (BencodeException e) {
      return " (not bencoded: " + Printable.oneLine(e.getMessage()) + ")";
    }
  }
}
