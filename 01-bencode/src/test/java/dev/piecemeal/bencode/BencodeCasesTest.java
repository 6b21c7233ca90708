package dev.piecemeal.bencode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.piecemeal.testing.Corpus;
import dev.piecemeal.testing.TorrentCorpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every case of the test corpus's {@code bencode-cases.tsv}, decoded strictly. */
class BencodeCasesTest {
  private static final Pattern OFFSET = Pattern.compile("at offset (\\d+)");

  static Stream<Arguments> cases() throws IOException {
    List<String> lines = Files.readAllLines(Corpus.resolve("bencode-cases.tsv"), StandardCharsets.UTF_8);
    assertThat(lines.get(0)).startsWith("id\tinput\texpect\tvalue_or_error");
    return lines.stream().skip(1).map(line -> line.split("\t", -1))
        .map(f -> Arguments.of(f[0], TorrentCorpus.unescape(f[1]), f[2], f[3]));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decodesAsTheCorpusExpects(String id, byte[] input, String expect, String valueOrError)
      throws Exception {
    if (expect.equals("ok")) {
      BencodeValue value = BencodeDecoder.decode(input);
      if (id.startsWith("nesting-")) {
        assertThat(render(value)).startsWith("[[[[").endsWith("]]]]");
      } else {
        assertThat(render(value)).isEqualTo(valueOrError);
      }
      assertThat(BencodeEncoder.encode(value)).as("canonical input round-trips").isEqualTo(input);
    } else {
      BencodeException e = catchThrowableOfType(BencodeException.class, () -> BencodeDecoder.decode(input));
      assertThat(e).as("%s must be rejected (%s)", id, valueOrError).isNotNull();
      assertThat(e.getMessage()).matches(".+ at offset \\d+");
      assertThat(e.offset()).isBetween(0L, (long) input.length);
      Matcher m = OFFSET.matcher(valueOrError);
      if (m.find()) {
        assertThat(e.offset()).as(e.getMessage()).isEqualTo(Long.parseLong(m.group(1)));
      }
    }
  }

  /** The corpus's notation: {@code 42}, {@code "spam"}, {@code [a,b]}, {@code {"k":v}}. */
  private static String render(BencodeValue value) {
    StringBuilder out = new StringBuilder();
    if (value instanceof BencodeInteger integer) {
      out.append(integer.value());
    } else if (value instanceof BencodeString string) {
      out.append('"');
      for (byte b : string.bytes()) {
        int u = b & 0xff;
        out.append(u < 0x20 || u > 0x7e || u == '"' || u == '\\' ? String.format("\\x%02x", u) : String.valueOf((char) u));
      }
      out.append('"');
    } else if (value instanceof BencodeList list) {
      out.append('[');
      for (int i = 0; i < list.values().size(); i++) {
        out.append(i > 0 ? "," : "").append(render(list.values().get(i)));
      }
      out.append(']');
    } else if (value instanceof BencodeDictionary dictionary) {
      out.append('{');
      for (int i = 0; i < dictionary.size(); i++) {
        BencodeDictionary.Entry entry = dictionary.entries().get(i);
        out.append(i > 0 ? "," : "").append(render(entry.key())).append(':').append(render(entry.value()));
      }
      out.append('}');
    }
    return out.toString();
  }
}
