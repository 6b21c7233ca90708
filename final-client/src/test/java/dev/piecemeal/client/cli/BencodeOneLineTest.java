package dev.piecemeal.client.cli;

import static dev.piecemeal.testing.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.bencode.BencodeDecoder;
import dev.piecemeal.bencode.BencodeDictionary;
import dev.piecemeal.bencode.BencodeList;
import dev.piecemeal.bencode.BencodeString;
import dev.piecemeal.bencode.BencodeValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A bencoded value as one line, for {@code --trace}: readable, short, and safe to print. */
class BencodeOneLineTest {

  @Test
  void showsIntegersListsAndNestedDictionaries() throws Exception {
    BencodeValue value = BencodeDecoder.decode(
        "d1:lli1ei-2ee1:mde1:pi51413e1:v3:abce".getBytes(StandardCharsets.US_ASCII));

    assertThat(BencodeOneLine.of(value)).isEqualTo("{l: [1, -2], m: {}, p: 51413, v: \"abc\"}");
  }

  @Test
  void aShortBinaryStringShowsItsLengthAndItsBytesInHex() {
    BencodeDictionary dictionary = BencodeDictionary.builder().put("yourip", hex("7f000001")).build();

    assertThat(BencodeOneLine.of(dictionary)).isEqualTo("{yourip: <4 bytes 7f000001>}");
  }

  @Test
  void aLongBinaryStringShowsOnlyItsLength() {
    BencodeDictionary dictionary = BencodeDictionary.builder().put("ipv6", new byte[40]).build();

    assertThat(BencodeOneLine.of(dictionary)).isEqualTo("{ipv6: <40 bytes>}");
  }

  @Test
  void aStringWithAControlCharacterIsShownAsBytesNotPrinted() {
    BencodeDictionary dictionary = BencodeDictionary.builder()
        .put("v", "a\u001b[2Jb".getBytes(StandardCharsets.US_ASCII)).build();

    assertThat(BencodeOneLine.of(dictionary)).isEqualTo("{v: <6 bytes 611b5b324a62>}");
  }

  @Test
  void aKeyThatIsNotTextIsShownAsBytes() throws Exception {
    BencodeValue value = BencodeDecoder.decode(hex(
        "64",           // d
        "323a", "ff00", // 2: and two bytes that are not UTF-8 text
        "6930", "65",   // i0e
        "65"));         // e

    assertThat(BencodeOneLine.of(value)).isEqualTo("{<2 bytes ff00>: 0}");
  }

  @Test
  void aHugeValueIsCutShort() {
    List<BencodeValue> names = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      names.add(BencodeString.fromUtf8("extension_" + i));
    }
    BencodeDictionary dictionary = BencodeDictionary.builder().put("l", new BencodeList(names)).build();

    String text = BencodeOneLine.of(dictionary);

    assertThat(text).hasSize(BencodeOneLine.MAX_LENGTH + 2).startsWith("{l: [\"extension_0\", ").endsWith(" …");
  }
}
