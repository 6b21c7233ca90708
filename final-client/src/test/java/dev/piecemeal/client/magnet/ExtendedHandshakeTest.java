package dev.piecemeal.client.magnet;

import static dev.piecemeal.client.magnet.Payloads.ascii;
import static dev.piecemeal.client.magnet.Payloads.bytes;
import static dev.piecemeal.client.magnet.Payloads.onTheWire;
import static dev.piecemeal.testing.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.handshake.ProtocolException;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ExtendedHandshakeTest {

  /** A handshake with every key, as Transmission would send it (keys sorted, as BEP 3 asks). */
  private static final byte[] EVERY_KEY = bytes(
      ascii("d"),
      ascii("1:m", "d",
          "11:ut_metadata", "i3e",          // send me ut_metadata messages with id 3
          "6:ut_pex", "i1e",                // and PEX with id 1
          "e"),
      ascii("13:metadata_size", "i34256e"),   // my info dictionary is 34,256 bytes
      ascii("1:p", "i51413e"),                // I listen on port 51413
      ascii("4:reqq", "i512e"),               // I queue 512 requests
      ascii("1:v", "17:Transmission 3.00"),
      ascii("6:yourip", "4:"), hex("c0000207"), // you are 192.0.2.7 to me
      ascii("e"));

  @Test
  void decodesEveryKey() throws Exception {
    ExtendedHandshake theirs = ExtendedHandshake.decode(EVERY_KEY);
    assertThat(theirs.extensions()).containsExactly(Map.entry("ut_metadata", 3), Map.entry("ut_pex", 1));
    assertThat(theirs.idOf("ut_metadata")).hasValue(3);
    assertThat(theirs.idOf("lt_donthave")).isEmpty();
    assertThat(theirs.metadataSize()).hasValue(34_256);
    assertThat(theirs.listenPort()).hasValue(51413);
    assertThat(theirs.requestQueue()).hasValue(512);
    assertThat(theirs.client()).contains("Transmission 3.00");
    assertThat(theirs.yourIp()).contains(InetAddress.getByName("192.0.2.7"));
  }

  @Test
  void encodesTheSameBytes() throws Exception {
    ExtendedHandshake handshake = ExtendedHandshake.of(Map.of("ut_pex", 1, "ut_metadata", 3))
        .withMetadataSize(34_256)
        .withListenPort(51413)
        .withRequestQueue(512)
        .withClient("Transmission 3.00")
        .withYourIp(InetAddress.getByName("192.0.2.7"));
    assertThat(handshake.encode()).isEqualTo(EVERY_KEY);
    assertThat(ExtendedHandshake.decode(handshake.encode())).isEqualTo(handshake);
  }

  /** Ours, the smallest useful one, as chapter 5's writer frames it. */
  @Test
  void travelsAsExtendedMessageZero() {
    byte[] payload = bytes(
        ascii("d"),
        ascii("1:m", "d", "11:ut_metadata", "i2e", "e"),
        ascii("e"));
    assertThat(onTheWire(ExtendedHandshake.of(Map.of("ut_metadata", 2)).message())).isEqualTo(bytes(
        hex("0000001a"),   // length: 26 = 1 id + 1 extended id + 24 payload
        hex("14"),         // id 20: extended (BEP 10)
        hex("00"),         // extended id 0: the handshake
        payload));
  }

  @Test
  void readsAnIpv6Yourip() throws Exception {
    byte[] payload = bytes(ascii("d1:md", "e6:yourip16:"), hex("20010db8000000000000000000000001"), ascii("e"));
    assertThat(ExtendedHandshake.decode(payload).yourIp()).contains(InetAddress.getByName("2001:db8::1"));
  }

  @Nested
  class Lenient {
    @Test
    void ignoresKeysItDoesNotKnow() throws Exception {
      ExtendedHandshake theirs = ExtendedHandshake.decode(ascii(
          "d12:complete_agoi-1e1:md11:ut_metadatai3ee11:upload_onlyi1ee"));
      assertThat(theirs).isEqualTo(ExtendedHandshake.of(Map.of("ut_metadata", 3)));
    }

    @Test
    void leavesOutAnExtensionWithIdZeroWhichMeansDisabled() throws Exception {
      ExtendedHandshake theirs = ExtendedHandshake.decode(ascii("d1:md11:lt_donthavei0e11:ut_metadatai3eee"));
      assertThat(theirs.extensions()).containsOnlyKeys("ut_metadata");
    }

    @Test
    void readsKeysOutOfOrderAndIgnoresBytesAfterTheDictionary() throws Exception {
      ExtendedHandshake theirs = ExtendedHandshake.decode(ascii("d1:v1:x1:md6:ut_pexi1eee\n"));
      assertThat(theirs.client()).contains("x");
      assertThat(theirs.idOf("ut_pex")).hasValue(1);
    }

    @Test
    void aHandshakeWithoutMSpeaksNoExtension() throws Exception {
      assertThat(ExtendedHandshake.decode(ascii("d1:pi6881ee")).extensions()).isEmpty();
    }

    @Test
    void aPortOrMetadataSizeOfZeroIsNoneAtAll() throws Exception {
      ExtendedHandshake theirs = ExtendedHandshake.decode(ascii("d1:mde13:metadata_sizei0e1:pi0ee"));
      assertThat(theirs.listenPort()).isEqualTo(OptionalInt.empty());
      assertThat(theirs.metadataSize()).isEqualTo(OptionalInt.empty());
    }

    @Test
    void aClientNameThatIsNotUtf8IsReadAnyway() throws Exception {
      byte[] payload = bytes(ascii("d1:v3:"), hex("41ff42"), ascii("e"));
      assertThat(ExtendedHandshake.decode(payload).client()).contains("A\uFFFDB");
    }
  }

  @Nested
  class Malformed {
    @Test
    void anIdOutsideAByte() {
      assertThatThrownBy(() -> ExtendedHandshake.decode(ascii("d1:md11:ut_metadatai256eee")))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("extended handshake: m.ut_metadata: id 256 is outside 0..255");
      assertThatThrownBy(() -> ExtendedHandshake.decode(ascii("d1:md11:ut_metadatai-1eee")))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("extended handshake: m.ut_metadata: id -1 is outside 0..255");
    }

    @Test
    void knownKeysOfTheWrongType() {
      assertThatThrownBy(() -> ExtendedHandshake.decode(ascii("d1:mli1eee")))
          .isInstanceOf(ProtocolException.class).hasMessage("extended handshake: m must be a dictionary, found list");
      assertThatThrownBy(() -> ExtendedHandshake.decode(ascii("d1:md11:ut_metadata1:3ee")))
          .isInstanceOf(ProtocolException.class).hasMessage("extended handshake: m.ut_metadata must be an integer, found string");
      assertThatThrownBy(() -> ExtendedHandshake.decode(ascii("d1:p5:51413e")))
          .isInstanceOf(ProtocolException.class).hasMessage("extended handshake: p must be an integer, found string");
    }

    @Test
    void numbersOutOfRange() {
      assertThatThrownBy(() -> ExtendedHandshake.decode(ascii("d1:pi65536ee")))
          .isInstanceOf(ProtocolException.class).hasMessage("extended handshake: p 65536 is outside 0..65535");
      assertThatThrownBy(() -> ExtendedHandshake.decode(ascii("d4:reqqi0ee")))
          .isInstanceOf(ProtocolException.class).hasMessage("extended handshake: reqq 0 is outside 1..2147483647");
      assertThatThrownBy(() -> ExtendedHandshake.decode(ascii("d13:metadata_sizei-5ee")))
          .isInstanceOf(ProtocolException.class).hasMessage("extended handshake: metadata_size -5 is outside 0..16777216");
    }

    @Test
    void aYouripOfTheWrongLength() {
      byte[] payload = bytes(ascii("d6:yourip5:"), hex("c000020701"), ascii("e"));
      assertThatThrownBy(() -> ExtendedHandshake.decode(payload))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("extended handshake: yourip is 5 bytes, not 4 (IPv4) or 16 (IPv6)");
    }

    @Test
    void notADictionary() {
      assertThatThrownBy(() -> ExtendedHandshake.decode(ascii("i1e")))
          .isInstanceOf(ProtocolException.class).hasMessage("extended handshake: must be a dictionary, found integer");
    }

    @Test
    void theRecordRefusesWhatDecodeRefuses() {
      assertThatThrownBy(() -> ExtendedHandshake.of(Map.of("ut_metadata", 0))).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> ExtendedHandshake.of(Map.of()).withListenPort(0)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> ExtendedHandshake.of(Map.of()).withRequestQueue(0)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> ExtendedHandshake.of(Map.of()).withMetadataSize(MetadataMessage.MAX_TOTAL_SIZE + 1))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class Truncated {
    @Test
    void cutShortAnywhereItSaysHowFarItGot() {
      for (int length = 0; length < EVERY_KEY.length; length++) {
        byte[] cut = Arrays.copyOf(EVERY_KEY, length);
        assertThatThrownBy(() -> ExtendedHandshake.decode(cut))
            .as("the first %d bytes", length)
            .isInstanceOf(ProtocolException.class)
            .hasMessageStartingWith("extended handshake: not bencode: ")
            .hasMessageMatching(".* at offset \\d+");
      }
    }

    @Test
    void cutInsideTheExtensionsItNamesTheOffset() {
      assertThatThrownBy(() -> ExtendedHandshake.decode(ascii("d1:md11:ut_meta")))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("extended handshake: not bencode: string length 11 exceeds remaining input (7 bytes) at offset 5");
    }
  }

  @Nested
  class TooLarge {
    @Test
    void aMetadataSizeOverSixteenMebibytesIsRefusedBeforeAnyAssemblerIsSizedByIt() {
      assertThatThrownBy(() -> ExtendedHandshake.decode(ascii("d1:md11:ut_metadatai3ee13:metadata_sizei16777217ee")))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("extended handshake: metadata_size 16777217 is more than the 16777216 bytes of metadata Piecemeal accepts");
      assertThatThrownBy(() -> ExtendedHandshake.decode(ascii("d13:metadata_sizei99999999999999ee")))
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining("metadata_size 99999999999999 is more than the 16777216 bytes");
    }

    @Test
    void moreThanSixtyFourExtensions() {
      StringBuilder m = new StringBuilder();
      for (int i = 0; i < ExtendedHandshake.MAX_EXTENSIONS + 1; i++) {
        m.append(String.format("3:x%02di%de", i, i + 1));
      }
      assertThatThrownBy(() -> ExtendedHandshake.decode(ascii("d1:md" + m + "ee")))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("extended handshake: m: 65 entries, more than the 64 accepted");
    }

    @Test
    void exactlySixtyFourExtensionsAreRead() throws Exception {
      StringBuilder m = new StringBuilder();
      for (int i = 0; i < ExtendedHandshake.MAX_EXTENSIONS; i++) {
        m.append(String.format("3:x%02di%de", i, i + 1));
      }
      assertThat(ExtendedHandshake.decode(ascii("d1:md" + m + "ee")).extensions()).hasSize(64);
    }

    @Test
    void aPayloadOverSixtyFourKibibytesIsRefusedFirst() {
      assertThatThrownBy(() -> ExtendedHandshake.decode(new byte[ExtendedHandshake.MAX_PAYLOAD + 1]))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("extended handshake: 65537 bytes, more than the 65536 a handshake may be");
    }
  }

  @Test
  void aHandshakeWithNothingButMIsEquallyAValue() {
    assertThat(ExtendedHandshake.of(Map.of())).isEqualTo(new ExtendedHandshake(Map.of(), Optional.empty(),
        OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), Optional.empty()));
  }
}
