package dev.piecemeal.handshake;

import static dev.piecemeal.testing.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.testing.OneByteAtATimeInputStream;
import dev.piecemeal.tracker.PeerId;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class HandshakeTest {
  static final InfoHash INFO_HASH = InfoHash.fromHex("d8f739cec3286f27fd34ef8e4bb3dc01cd1fb16f");
  static final PeerId TRANSMISSION = PeerId.fromBytes(hex("2d5452333030302d", "6162636465666768696a6b6c"));

  /** Transmission 3.00's handshake for the info hash above, as it is on the wire. */
  static final byte[] WIRE =
      hex(
          "13", // length of the protocol name: 19
          "426974546f7272656e742070726f746f636f6c", // "BitTorrent protocol"
          "0000000000100005", // reserved: BEP 10 (byte 5, 0x10); fast and DHT (byte 7, 0x04 | 0x01)
          "d8f739cec3286f27fd34ef8e4bb3dc01cd1fb16f", // info hash
          "2d5452333030302d", // peer id: "-TR3000-"...
          "6162636465666768696a6b6c"); // ...then 12 random bytes ("abcdefghijkl")

  static final Handshake HANDSHAKE =
      new Handshake(Extensions.fromBytes(hex("0000000000100005")), INFO_HASH, TRANSMISSION);

  @Test
  void encodesTheFiveFieldsIn68Bytes() {
    assertThat(HANDSHAKE.encode()).hasSize(Handshake.LENGTH).containsExactly(WIRE);
  }

  @Test
  void readsTheFiveFields() throws Exception {
    Handshake read = Handshake.read(new ByteArrayInputStream(WIRE));
    assertThat(read).isEqualTo(HANDSHAKE);
    assertThat(read.extensions()).hasToString("BEP5-DHT, BEP6-fast, BEP10-extension-protocol");
    assertThat(read.peerId().printablePrefix()).isEqualTo("-TR3000-");
  }

  /** The bug every first peer-wire reader has: assuming one read returns the whole handshake. */
  @Test
  void readsAHandshakeArrivingOneByteAtATime() throws Exception {
    assertThat(Handshake.read(new OneByteAtATimeInputStream(WIRE))).isEqualTo(HANDSHAKE);
  }

  @Test
  void neverReadsPastByte68() throws Exception {
    byte[] interested = hex("00000001", "02"); // the first message: length 1, id 2 (interested)
    byte[] both = concat(WIRE, interested);
    for (InputStream in : new InputStream[] {new ByteArrayInputStream(both), new OneByteAtATimeInputStream(both)}) {
      Handshake.read(in);
      assertThat(in.readAllBytes()).as("left for the message reader").containsExactly(interested);
    }
  }

  @Test
  void decodingThenEncodingGivesBackTheSameBytes() throws Exception {
    byte[] withUnknownBits = WIRE.clone();
    withUnknownBits[20] = (byte) 0x80; // reserved byte 0
    assertThat(Handshake.read(new ByteArrayInputStream(withUnknownBits)).encode()).containsExactly(withUnknownBits);
  }

  @Nested
  class Truncated {
    @Test
    void saysHowFarItGot() {
      byte[] cut = Arrays.copyOf(WIRE, 30);
      assertThatThrownBy(() -> Handshake.read(new OneByteAtATimeInputStream(cut)))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("connection closed after 30 of 68 handshake bytes");
    }

    @Test
    void anEmptyStreamIsClosedAfterZeroBytes() {
      assertThatThrownBy(() -> Handshake.read(new ByteArrayInputStream(new byte[0])))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("connection closed after 0 of 68 handshake bytes");
    }

    @Test
    void oneByteShortIsStillShort() {
      byte[] cut = Arrays.copyOf(WIRE, 67);
      assertThatThrownBy(() -> Handshake.read(new ByteArrayInputStream(cut)))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("connection closed after 67 of 68 handshake bytes");
    }
  }

  @Nested
  class Malformed {
    @Test
    void rejectsAnotherProtocolNameLengthAfterOneByte() throws Exception {
      byte[] tls = hex("16", "030100"); // a TLS client hello starts with 0x16
      OneByteAtATimeInputStream in = new OneByteAtATimeInputStream(tls);
      assertThatThrownBy(() -> Handshake.read(in))
          .isInstanceOf(ProtocolException.class)
          .hasMessage(
              "handshake starts with byte 22, not 19 (the length of \"BitTorrent protocol\"):"
                  + " the peer speaks another protocol, or encrypts (MSE)");
      assertThat(in.readAllBytes()).as("nothing read past the first byte").containsExactly(hex("030100"));
    }

    @Test
    void rejectsAWrongProtocolName() {
      byte[] wrong = WIRE.clone();
      wrong[19] = 'X'; // "BitTorrent protocoX"
      assertThatThrownBy(() -> Handshake.read(new OneByteAtATimeInputStream(wrong)))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("protocol name is \"BitTorrent protocoX\", not \"BitTorrent protocol\"");
    }

    @Test
    void showsBinaryBytesOfAWrongNameEscaped() {
      byte[] wrong = WIRE.clone();
      wrong[1] = 0;
      assertThatThrownBy(() -> Handshake.read(new ByteArrayInputStream(wrong)))
          .isInstanceOf(ProtocolException.class)
          .hasMessageStartingWith("protocol name is \"\\x00itTorrent protocol\"");
    }
  }

  static byte[] concat(byte[] first, byte[] second) {
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }
}
