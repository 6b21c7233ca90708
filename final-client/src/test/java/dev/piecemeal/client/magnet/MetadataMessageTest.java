package dev.piecemeal.client.magnet;

import static dev.piecemeal.client.magnet.Payloads.ascii;
import static dev.piecemeal.client.magnet.Payloads.bytes;
import static dev.piecemeal.client.magnet.Payloads.onTheWire;
import static dev.piecemeal.testing.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.handshake.ProtocolException;
import dev.piecemeal.messages.Message;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MetadataMessageTest {

  /** 34,256 bytes of metadata: pieces 0 and 1 of 16,384 bytes, piece 2 of 1,488. */
  private static final int TOTAL = 34_256;

  @Nested
  class Request {
    private final byte[] payload = bytes(
        ascii("d"),
        ascii("8:msg_type", "i0e"),   // 0: request
        ascii("5:piece", "i1e"),      // piece 1
        ascii("e"));

    @Test
    void encodesAsItsDictionary() {
      assertThat(new MetadataMessage.Request(1).encode()).isEqualTo(payload);
    }

    @Test
    void decodesFromItsDictionary() throws Exception {
      assertThat(MetadataMessage.decode(payload)).contains(new MetadataMessage.Request(1));
    }

    /** The whole message as chapter 5 frames it, under the id the peer gave ut_metadata. */
    @Test
    void travelsAsAnExtendedMessageUnderThePeersId() {
      assertThat(onTheWire(new MetadataMessage.Request(1).message(3))).isEqualTo(bytes(
          hex("0000001b"),   // length: 27 = 1 id + 1 extended id + 25 payload
          hex("14"),         // id 20: extended (BEP 10)
          hex("03"),         // extended id 3: the peer's id for ut_metadata
          payload));
    }

    @Test
    void isNeverSentUnderTheHandshakesIdOrOneThatDoesNotFitAByte() {
      assertThatThrownBy(() -> new MetadataMessage.Request(0).message(0)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> new MetadataMessage.Request(0).message(256)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class Reject {
    private final byte[] payload = bytes(
        ascii("d"),
        ascii("8:msg_type", "i2e"),   // 2: reject
        ascii("5:piece", "i7e"),      // piece 7
        ascii("e"));

    @Test
    void encodesAndDecodes() throws Exception {
      assertThat(new MetadataMessage.Reject(7).encode()).isEqualTo(payload);
      assertThat(MetadataMessage.decode(payload)).contains(new MetadataMessage.Reject(7));
    }
  }

  @Nested
  class Data {
    @Test
    void encodesItsDictionaryThenThePiece() {
      byte[] last = filled(1488, 0x2a);
      assertThat(new MetadataMessage.Data(2, TOTAL, last).encode()).isEqualTo(bytes(
          ascii("d"),
          ascii("8:msg_type", "i1e"),          // 1: data
          ascii("5:piece", "i2e"),             // piece 2, the last
          ascii("10:total_size", "i34256e"),   // the whole metadata's size
          ascii("e"),
          last));                              // 34,256 - 2 × 16,384 = 1,488 bytes
    }

    @Test
    void decodesAFullPieceAndTheShortLastOne() throws Exception {
      byte[] first = filled(MetadataMessage.PIECE_LENGTH, 0x01);
      byte[] last = filled(1488, 0x02);
      assertThat(MetadataMessage.decode(data(0, TOTAL, first))).contains(new MetadataMessage.Data(0, TOTAL, first));
      assertThat(MetadataMessage.decode(data(2, TOTAL, last))).contains(new MetadataMessage.Data(2, TOTAL, last));
    }

    @Test
    void decodesMetadataOfOnePieceSmallerThanSixteenKibibytes() throws Exception {
      byte[] all = ascii("d4:name1:ae");
      Optional<MetadataMessage> decoded = MetadataMessage.decode(data(0, all.length, all));
      assertThat(decoded).contains(new MetadataMessage.Data(0, 11, all));
    }

    @Test
    void aPieceThatLooksLikeBencodeIsStillData() throws Exception {
      // The dictionary ends where its "e" is; what follows is bytes, whatever they look like.
      byte[] piece = ascii("d8:msg_typei2e5:piecei0ee");
      byte[] payload = data(0, piece.length, piece);
      assertThat(MetadataMessage.decode(payload)).contains(new MetadataMessage.Data(0, piece.length, piece));
    }

    @Test
    void copiesItsBytesInAndOut() {
      byte[] bytes = filled(10, 1);
      MetadataMessage.Data data = new MetadataMessage.Data(0, 10, bytes);
      bytes[0] = 9;
      data.bytes()[1] = 9;
      assertThat(data.bytes()).isEqualTo(filled(10, 1));
      assertThat(data).hasToString("Data[piece 0 of total_size 10, 10 bytes]");
    }
  }

  @Nested
  class Unknown {
    /** BEP 9: "an unrecognized message ID MUST be ignored". */
    @Test
    void aMsgTypeThisClientDoesNotKnowIsIgnored() throws Exception {
      assertThat(MetadataMessage.decode(ascii("d8:msg_typei3e5:piecei0ee"))).isEmpty();
      assertThat(MetadataMessage.decode(ascii("d8:msg_typei-1e5:piecei0ee"))).isEmpty();
      assertThat(MetadataMessage.decode(ascii("d8:msg_typei99999999999e5:piecei0ee"))).isEmpty();
    }

    @Test
    void keysThisClientDoesNotKnowAreIgnored() throws Exception {
      assertThat(MetadataMessage.decode(ascii("d8:msg_typei0e5:piecei4e4:zzzzi1ee")))
          .contains(new MetadataMessage.Request(4));
    }

    @Test
    void keysOutOfOrderAreRead() throws Exception {
      assertThat(MetadataMessage.decode(ascii("d5:piecei4e8:msg_typei2ee"))).contains(new MetadataMessage.Reject(4));
    }
  }

  @Nested
  class Truncated {
    @Test
    void aDictionaryCutShortSaysWhereItStopped() {
      assertThatThrownBy(() -> MetadataMessage.decode(ascii("d8:msg_typei0e5:piecei")))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("ut_metadata: not bencode: unexpected end of input inside an integer at offset 22");
    }

    @Test
    void anEmptyPayloadIsNotAMessage() {
      assertThatThrownBy(() -> MetadataMessage.decode(new byte[0]))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("ut_metadata: not bencode: unexpected end of input where a value was expected at offset 0");
    }

    @Test
    void aDataPieceCutShortIsTheWrongLength() {
      byte[] payload = data(1, TOTAL, filled(MetadataMessage.PIECE_LENGTH, 7));
      byte[] cut = Arrays.copyOf(payload, payload.length - 100);
      assertThatThrownBy(() -> MetadataMessage.decode(cut))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("ut_metadata: data: piece 1 of total_size 34256 must be 16384 bytes, not 16284");
    }

    @Test
    void aDataMessageWithNoBytesAfterItsDictionary() {
      assertThatThrownBy(() -> MetadataMessage.decode(data(2, TOTAL, new byte[0])))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("ut_metadata: data: piece 2 of total_size 34256 must be 1488 bytes, not 0");
    }
  }

  @Nested
  class Malformed {
    @Test
    void aLastPieceWithTooManyBytes() {
      assertThatThrownBy(() -> MetadataMessage.decode(data(2, TOTAL, new byte[1489])))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("ut_metadata: data: piece 2 of total_size 34256 must be 1488 bytes, not 1489");
    }

    @Test
    void aPiecePastTheEndOfTotalSize() {
      assertThatThrownBy(() -> MetadataMessage.decode(data(3, TOTAL, new byte[0])))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("ut_metadata: data: piece 3 is past the end: total_size 34256 has 3 pieces, 0..2");
    }

    @Test
    void aNegativeOrHugePieceIndex() {
      assertThatThrownBy(() -> MetadataMessage.decode(ascii("d8:msg_typei0e5:piecei-1ee")))
          .isInstanceOf(ProtocolException.class).hasMessage("ut_metadata: piece -1 is not a piece index");
      assertThatThrownBy(() -> MetadataMessage.decode(ascii("d8:msg_typei0e5:piecei2147483648ee")))
          .isInstanceOf(ProtocolException.class).hasMessage("ut_metadata: piece 2147483648 is not a piece index");
    }

    @Test
    void aMissingOrMistypedKey() {
      assertThatThrownBy(() -> MetadataMessage.decode(ascii("d5:piecei0ee")))
          .isInstanceOf(ProtocolException.class).hasMessage("ut_metadata: no msg_type");
      assertThatThrownBy(() -> MetadataMessage.decode(ascii("d8:msg_typei0ee")))
          .isInstanceOf(ProtocolException.class).hasMessage("ut_metadata: no piece");
      assertThatThrownBy(() -> MetadataMessage.decode(ascii("d8:msg_type1:05:piecei0ee")))
          .isInstanceOf(ProtocolException.class).hasMessage("ut_metadata: msg_type must be an integer, found string");
      assertThatThrownBy(() -> MetadataMessage.decode(ascii("d8:msg_typei1e5:piecei0ee")))
          .isInstanceOf(ProtocolException.class).hasMessage("ut_metadata: no total_size");
    }

    @Test
    void notADictionary() {
      assertThatThrownBy(() -> MetadataMessage.decode(ascii("li0ee")))
          .isInstanceOf(ProtocolException.class).hasMessage("ut_metadata: must be a dictionary, found list");
    }

    @Test
    void theRecordsRefuseWhatDecodeRefuses() {
      assertThatThrownBy(() -> new MetadataMessage.Request(-1)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> new MetadataMessage.Data(3, TOTAL, new byte[0])).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> new MetadataMessage.Data(0, TOTAL, new byte[10])).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> new MetadataMessage.Data(0, 0, new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class TooLarge {
    @Test
    void aTotalSizeOverSixteenMebibytesIsRefusedBeforeAnythingIsSizedByIt() {
      byte[] payload = data(0, MetadataMessage.MAX_TOTAL_SIZE + 1, filled(MetadataMessage.PIECE_LENGTH, 0));
      assertThatThrownBy(() -> MetadataMessage.decode(payload))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("ut_metadata: data: total_size 16777217 is outside 1..16777216 (the largest metadata Piecemeal accepts)");
    }

    @Test
    void aTotalSizeOfExactlySixteenMebibytesIsRead() throws Exception {
      byte[] piece = filled(MetadataMessage.PIECE_LENGTH, 3);
      assertThat(MetadataMessage.decode(data(1023, MetadataMessage.MAX_TOTAL_SIZE, piece)))
          .contains(new MetadataMessage.Data(1023, MetadataMessage.MAX_TOTAL_SIZE, piece));
    }

    @Test
    void aTotalSizeOfZeroOrLessIsRefused() {
      assertThatThrownBy(() -> MetadataMessage.decode(data(0, 0, new byte[0])))
          .isInstanceOf(ProtocolException.class).hasMessageContaining("total_size 0 is outside 1..16777216");
    }

    @Test
    void aPayloadLargerThanAPieceAndItsDictionaryIsRefusedFirst() {
      byte[] payload = new byte[MetadataMessage.MAX_PAYLOAD + 1];
      assertThatThrownBy(() -> MetadataMessage.decode(payload))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("ut_metadata: 17409 bytes, more than the 17408 a message may be");
    }
  }

  /** A data message's payload, written out: its dictionary, then whatever bytes are given. */
  static byte[] data(int piece, int totalSize, byte[] bytes) {
    return Payloads.bytes(
        ascii("d"),
        ascii("8:msg_type", "i1e"),
        ascii("5:piece", "i" + piece + "e"),
        ascii("10:total_size", "i" + totalSize + "e"),
        ascii("e"),
        bytes);
  }

  static byte[] filled(int length, int value) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, (byte) value);
    return bytes;
  }

  @Test
  void aMessageForTheEngineIsAnExtendedMessage() {
    assertThat(new MetadataMessage.Reject(0).message(5)).isEqualTo(new Message.Extended(5, ascii("d8:msg_typei2e5:piecei0ee")));
  }
}
