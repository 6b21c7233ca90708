package dev.piecemeal.bencode;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BencodeEncoderTest {

  private static String encode(BencodeValue value) {
    return new String(BencodeEncoder.encode(value), US_ASCII);
  }

  @Test
  void writesTheFourKinds() {
    assertThat(encode(new BencodeInteger(-42))).isEqualTo("i-42e");
    assertThat(encode(new BencodeInteger(Long.MIN_VALUE))).isEqualTo("i-9223372036854775808e");
    assertThat(encode(BencodeString.fromUtf8("spam"))).isEqualTo("4:spam");
    assertThat(encode(new BencodeList(List.of(BencodeString.fromUtf8("a"), new BencodeInteger(1)))))
        .isEqualTo("l1:ai1ee");
    assertThat(encode(BencodeDictionary.builder().put("cow", "moo").build())).isEqualTo("d3:cow3:mooe");
  }

  @Test
  void sortsKeysByRawBytesWhateverTheBuildOrder() {
    BencodeDictionary dictionary = BencodeDictionary.builder()
        .put("spam", "eggs")
        .put("é", 2)     // 0xc3 0xa9: sorts after every ASCII key
        .put("aa", 1)
        .put("a", 0)     // a prefix sorts before the longer key
        .put("Z", 3)     // upper case sorts before lower case
        .build();
    assertThat(BencodeEncoder.encode(dictionary))
        .isEqualTo("d1:Zi3e1:ai0e2:aai1e4:spam4:eggs2:\u00c3\u00a9i2ee".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
  }

  @Test
  void rejectsADictionaryWithADuplicateKey() {
    BencodeDictionary dictionary = BencodeDictionary.builder().put("a", 1).put("a", 2).build();
    assertThatThrownBy(() -> BencodeEncoder.encode(dictionary))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duplicate dictionary key \"a\"");
  }

  @Test
  void canonicalInputRoundTripsToTheSameBytes() throws Exception {
    byte[] input = "d8:announce3:url4:infod6:lengthi425e4:name4:temp12:piece lengthi16384eee".getBytes(US_ASCII);
    assertThat(BencodeEncoder.encode(BencodeDecoder.decode(input))).isEqualTo(input);
  }

  @Test
  void reEncodingUnsortedInputSortsIt() throws Exception {
    BencodeValue lenient = BencodeDecoder.decodeTorrent("d1:bi1e1:ai2ee".getBytes(US_ASCII));
    assertThat(encode(lenient)).isEqualTo("d1:ai2e1:bi1ee");
  }
}
