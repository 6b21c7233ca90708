package dev.piecemeal.bencode;

import static dev.piecemeal.testing.Hex.hex;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.piecemeal.testing.OneByteAtATimeInputStream;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class BencodeDecoderTest {

  private static BencodeValue decode(String ascii) throws BencodeException {
    return BencodeDecoder.decode(ascii.getBytes(US_ASCII));
  }

  /** Decodes {@code ascii} expecting failure; returns the exception for its offset and message. */
  private static BencodeException failure(String ascii) {
    return catchThrowableOfType(BencodeException.class, () -> decode(ascii));
  }

  @Nested
  class Decodes {
    @Test
    void integersIncludingBothEndsOfSixtyFourBits() throws Exception {
      assertThat(decode("i0e")).isEqualTo(new BencodeInteger(0));
      assertThat(decode("i-42e")).isEqualTo(new BencodeInteger(-42));
      assertThat(decode("i9223372036854775807e")).isEqualTo(new BencodeInteger(Long.MAX_VALUE));
      assertThat(decode("i-9223372036854775808e")).isEqualTo(new BencodeInteger(Long.MIN_VALUE));
    }

    @Test
    void byteStringsStayBytes() throws Exception {
      byte[] input = hex(
          "34 3a",         // "4:"  length 4
          "00 ff 80 65");  // four raw bytes, not valid UTF-8
      BencodeString string = (BencodeString) BencodeDecoder.decode(input);
      assertThat(string.bytes()).containsExactly(0x00, 0xff, 0x80, 0x65);
      assertThat(decode("0:")).isEqualTo(BencodeString.fromUtf8(""));
    }

    @Test
    void listsInOrder() throws Exception {
      assertThat(decode("l4:spami42ee"))
          .isEqualTo(new BencodeList(List.of(BencodeString.fromUtf8("spam"), new BencodeInteger(42))));
      assertThat(decode("le")).isEqualTo(new BencodeList(List.of()));
    }

    @Test
    void dictionariesWithTheSpanOfEachValue() throws Exception {
      BencodeDictionary dictionary = (BencodeDictionary) decode("d3:cow3:moo4:spaml1:aee");
      assertThat(dictionary.get("cow")).contains(BencodeString.fromUtf8("moo"));
      assertThat(dictionary.entry("cow").orElseThrow().span()).isEqualTo(new ByteSpan(6, 11));
      assertThat(dictionary.entry("spam").orElseThrow().span()).isEqualTo(new ByteSpan(17, 22));
    }

    @Test
    void keysInRawByteOrderWithHighBytesAfterAscii() throws Exception {
      byte[] input = hex(
          "64",           // d
          "31 3a 7a",     // 1:z
          "69 31 65",     // i1e
          "31 3a e9",     // 1:\xe9 (unsigned 233 sorts after 'z')
          "69 32 65",     // i2e
          "65");          // e
      assertThat(((BencodeDictionary) BencodeDecoder.decode(input)).size()).isEqualTo(2);
    }

    @Test
    void nestingUpToTheLimit() throws Exception {
      String deepest = "l".repeat(BencodeDecoder.MAX_DEPTH) + "e".repeat(BencodeDecoder.MAX_DEPTH);
      assertThat(decode(deepest)).isInstanceOf(BencodeList.class);
    }
  }

  @Nested
  class MalformedIntegers {
    @Test
    void rejectsLeadingZero() {
      assertThat(failure("i03e")).hasMessage("integer with a leading zero at offset 1");
    }

    @Test
    void rejectsNegativeZero() {
      assertThat(failure("i-0e")).hasMessage("negative zero is not allowed at offset 0");
    }

    @Test
    void rejectsPlusSign() {
      assertThat(failure("i+1e")).hasMessage("\"+\" inside an integer at offset 1");
    }

    @Test
    void rejectsEmptyInteger() {
      assertThat(failure("ie")).hasMessage("integer without digits at offset 0");
      assertThat(failure("i-e")).hasMessage("integer without digits at offset 0");
    }

    @Test
    void rejectsMinusInside() {
      assertThat(failure("i1-2e")).hasMessage("minus sign inside an integer at offset 2");
    }

    @Test
    void rejectsANonDigitAndSaysWhere() {
      assertThat(failure("i92337203t854775807e").offset()).isEqualTo(9);
    }
  }

  @Nested
  class MalformedStrings {
    @Test
    void rejectsLeadingZeroInLength() {
      assertThat(failure("03:abc")).hasMessage("string length with a leading zero at offset 0");
    }

    @Test
    void rejectsMissingColon() {
      assertThat(failure("3abc")).hasMessage("expected ':' after a string length, found \"a\" at offset 1");
    }

    @Test
    void rejectsNegativeLength() {
      assertThat(failure("-3:abc")).hasMessage("\"-\" where a value was expected at offset 0");
    }
  }

  @Nested
  class MalformedDictionaries {
    @Test
    void rejectsUnsortedKeys() {
      assertThat(failure("d4:spami1e3:cowi2ee"))
          .hasMessage("dictionary key \"cow\" is out of order (after \"spam\") at offset 10");
    }

    @Test
    void rejectsALongerKeyBeforeItsPrefix() {
      assertThat(failure("d2:aai1e1:ai2ee").offset()).isEqualTo(8);
    }

    @Test
    void rejectsDuplicateKeys() {
      assertThat(failure("d1:ai1e1:ai1ee")).hasMessage("duplicate dictionary key \"a\" at offset 7");
    }

    @Test
    void rejectsAKeyThatIsNotAString() {
      assertThat(failure("di1ei2ee"))
          .hasMessage("dictionary key must be a string, found \"i\" at offset 1");
    }

    @Test
    void rejectsAKeyWithoutValue() {
      assertThat(failure("d1:ae")).hasMessage("dictionary key \"a\" has no value at offset 4");
    }
  }

  @Nested
  class Malformed {
    @Test
    void rejectsAnUnknownTypeByte() {
      assertThat(failure("x")).hasMessage("\"x\" where a value was expected at offset 0");
      assertThat(failure(" i1e")).hasMessage("byte 0x20 where a value was expected at offset 0");
    }

    @Test
    void rejectsTrailingBytes() {
      assertThat(failure("i1ei2e")).hasMessage("3 trailing byte(s) after the value at offset 3");
    }

    @Test
    void rejectsEmptyInput() {
      assertThat(failure("")).hasMessage("unexpected end of input where a value was expected at offset 0");
    }

    @Test
    void reportsTheOffsetOfABadByteDeepInside() {
      assertThat(failure("d1:ai1e1:b3:foo1:cli1ei2ee1:dd1:xi1-eee").offset()).isEqualTo(35);
    }
  }

  @Nested
  class Truncated {
    @Test
    void saysHowFarAnIntegerGot() {
      assertThat(failure("i12")).hasMessage("unexpected end of input inside an integer at offset 3");
    }

    @Test
    void saysHowFarAStringLengthGot() {
      assertThat(failure("12")).hasMessage("unexpected end of input inside a string length at offset 2");
    }

    @Test
    void saysHowShortAStringBodyIs() {
      assertThat(failure("5:abc"))
          .hasMessage("string length 5 exceeds remaining input (3 bytes) at offset 0");
    }

    @Test
    void saysWhichContainerWasOpen() {
      assertThat(failure("l1:a")).hasMessage("unexpected end of input inside a list at offset 4");
      assertThat(failure("d1:ai1e")).hasMessage("unexpected end of input inside a dictionary at offset 7");
      assertThat(failure("d1:a"))
          .hasMessage("unexpected end of input where the value of key \"a\" was expected at offset 4");
    }
  }

  @Nested
  class TooLarge {
    @Test
    void rejectsIntegersBeyondSixtyFourBitsInsteadOfWrapping() {
      assertThat(failure("i9223372036854775808e")).hasMessage("integer does not fit in 64 bits at offset 0");
      assertThat(failure("i-9223372036854775809e")).hasMessage("integer does not fit in 64 bits at offset 0");
      assertThat(failure("i" + "9".repeat(48) + "e").offset()).isZero();
    }

    /** A 20-byte input that claims a 99,999,999,999-byte string fails before anything is allocated. */
    @Test
    void rejectsALengthBeyondTheInputBeforeAllocating() {
      assertThat(failure("d1:a99999999999:abce"))
          .hasMessage("string length 99999999999 exceeds remaining input (4 bytes) at offset 4");
    }

    @Test
    void rejectsALengthThatOverflowsSixtyFourBits() {
      assertThat(failure("18446744073709551616:a"))
          .hasMessage("string length does not fit in 64 bits at offset 0");
    }

    /** A list of {@code count - 1} integers {@code i0e}: {@code count} values in all. */
    private byte[] listOfValues(int count) {
      return ("l" + "i0e".repeat(count - 1) + "e").getBytes(US_ASCII);
    }

    @Test
    void acceptsExactlyTheDefaultNumberOfValues() throws Exception {
      BencodeList list = (BencodeList) BencodeDecoder.decode(listOfValues(BencodeDecoder.MAX_VALUES));
      assertThat(list.values()).hasSize(BencodeDecoder.MAX_VALUES - 1);
    }

    /** Three bytes a value: a 3 MB input of {@code i0e} is refused for its count, not its size. */
    @Test
    void rejectsOneValueMoreThanTheDefaultAtTheValueThatBegins() {
      BencodeException e = catchThrowableOfType(BencodeException.class,
          () -> BencodeDecoder.decode(listOfValues(BencodeDecoder.MAX_VALUES + 1)));
      // value 1 is the list at offset 0; value 1,000,001 is the 1,000,000th i0e, at 1 + 3 * 999,999
      assertThat(e).hasMessage("more than 1000000 values at offset 2999998");
      assertThat(e.offset()).isEqualTo(2_999_998);
    }

    @Test
    void countsValuesWhenDecodingATorrentToo() {
      assertThatThrownBy(() -> BencodeDecoder.decodeTorrent(listOfValues(BencodeDecoder.MAX_VALUES + 1)))
          .isInstanceOf(BencodeException.class)
          .hasMessage("more than 1000000 values at offset 2999998");
    }

    @Test
    void countsEachDictionaryKeyAsAValue() throws Exception {
      byte[] input = "d1:ai1ee".getBytes(US_ASCII); // the dictionary, the key "a", the integer 1
      assertThat(BencodeDecoder.decode(new ByteArrayInputStream(input), 100, 3)).isInstanceOf(BencodeDictionary.class);
      assertThatThrownBy(() -> BencodeDecoder.decode(new ByteArrayInputStream(input), 100, 2))
          .isInstanceOf(BencodeException.class)
          .hasMessage("more than 2 values at offset 4");
    }

    @Test
    void rejectsAValueLimitBelowOne() {
      assertThatThrownBy(() -> BencodeDecoder.decode(new ByteArrayInputStream(new byte[0]), 100, 0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("maxValues must be at least 1, not 0");
    }

    @Test
    void rejectsNestingBeyondTheLimitWithoutOverflowingTheStack() {
      String tooDeep = "l".repeat(BencodeDecoder.MAX_DEPTH + 1) + "e".repeat(BencodeDecoder.MAX_DEPTH + 1);
      assertThat(failure(tooDeep)).hasMessage("nesting deeper than 100 levels at offset 100");
      assertThat(failure("l".repeat(1_000_000)).offset()).isEqualTo(100);
    }
  }

  @Nested
  class TorrentLeniency {
    @Test
    void acceptsUnsortedAndDuplicateKeysAndTheFirstOneCounts() throws Exception {
      BencodeDictionary dictionary =
          (BencodeDictionary) BencodeDecoder.decodeTorrent("d1:bi1e1:ai2e1:ai3ee".getBytes(US_ASCII));
      assertThat(dictionary.get("a")).contains(new BencodeInteger(2));
      assertThat(dictionary.size()).isEqualTo(3);
    }

    @Test
    void ignoresTrailingBytes() throws Exception {
      assertThat(BencodeDecoder.decodeTorrent("de\n".getBytes(US_ASCII))).isInstanceOf(BencodeDictionary.class);
    }

    @Test
    void staysStrictAboutEverythingElse() {
      assertThatThrownBy(() -> BencodeDecoder.decodeTorrent("d1:ai03ee".getBytes(US_ASCII)))
          .isInstanceOf(BencodeException.class)
          .hasMessage("integer with a leading zero at offset 5");
      assertThatThrownBy(() -> BencodeDecoder.decodeTorrent("l".repeat(500).getBytes(US_ASCII)))
          .hasMessageContaining("nesting deeper than 100 levels");
    }

    @Test
    void strictDecodingOfASpanReportsOffsetsInTheWholeInput() {
      byte[] input = "d4:infod1:bi1e1:ai2eee".getBytes(US_ASCII);
      assertThatThrownBy(() -> BencodeDecoder.decodeStrict(input, new ByteSpan(7, 21)))
          .hasMessage("dictionary key \"a\" is out of order (after \"b\") at offset 14");
    }
  }

  @Nested
  class FromAStream {
    private final byte[] torrentLike = "d8:announce3:url4:infod6:lengthi425eee".getBytes(US_ASCII);

    @Test
    void readsAValueThatArrivesOneByteAtATime() throws Exception {
      BencodeValue value = BencodeDecoder.decode(new OneByteAtATimeInputStream(torrentLike), 1024);
      assertThat(value).isEqualTo(BencodeDecoder.decode(torrentLike));
    }

    @Test
    void saysHowFarAStreamCutShortGot() {
      byte[] cut = Arrays.copyOf(torrentLike, 33);
      assertThatThrownBy(() -> BencodeDecoder.decode(new OneByteAtATimeInputStream(cut), 1024))
          .isInstanceOf(BencodeException.class)
          .hasMessage("unexpected end of input inside an integer at offset 33");
    }

    @Test
    void readsAsManyValuesAsTheLimitOneByteAtATime() throws Exception {
      byte[] three = "li0ei1ee".getBytes(US_ASCII);
      assertThat(BencodeDecoder.decode(new OneByteAtATimeInputStream(three), 1024, 3))
          .isEqualTo(BencodeDecoder.decode(three));
    }

    @Test
    void refusesOneValueMoreThanTheLimitOneByteAtATime() {
      byte[] three = "li0ei1ee".getBytes(US_ASCII);
      assertThatThrownBy(() -> BencodeDecoder.decode(new OneByteAtATimeInputStream(three), 1024, 2))
          .isInstanceOf(BencodeException.class)
          .hasMessage("more than 2 values at offset 4");
    }

    @Test
    void refusesAStreamLongerThanTheLimit() {
      assertThatThrownBy(() -> BencodeDecoder.decode(new ByteArrayInputStream(torrentLike), 16))
          .isInstanceOf(BencodeException.class)
          .hasMessage("input is longer than the limit of 16 bytes at offset 16");
    }
  }
}
