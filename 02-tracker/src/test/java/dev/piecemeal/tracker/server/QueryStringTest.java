package dev.piecemeal.tracker.server;

import static dev.piecemeal.testing.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class QueryStringTest {

  @Test
  void decodesPercentEscapesToRawBytesAndKeepsOtherCharacters() throws Exception {
    QueryString query = QueryString.parse("info_hash=%124Vx%9a%BC&port=6881");

    assertThat(query.bytes("info_hash")).hasValueSatisfying(
        bytes -> assertThat(bytes).isEqualTo(hex("12 34 56 78 9a bc")));
    assertThat(query.text("port")).hasValue("6881");
  }

  @Test
  void readsAPlusAsThePlusByteNotASpace() throws Exception {
    assertThat(QueryString.parse("key=a+b").bytes("key")).hasValueSatisfying(
        bytes -> assertThat(bytes).isEqualTo(hex("61 2b 62")));
  }

  @Test
  void readsAMissingOrEmptyValueAsEmpty() throws Exception {
    QueryString query = QueryString.parse("event=&compact&&numwant=5");

    assertThat(query.text("event")).hasValue("");
    assertThat(query.text("compact")).hasValue("");
    assertThat(query.text("numwant")).hasValue("5");
    assertThat(query.text("port")).isEmpty();
  }

  @Test
  void readsNoQueryAsNoParameters() throws Exception {
    assertThat(QueryString.parse(null).text("port")).isEmpty();
    assertThat(QueryString.parse("").text("port")).isEmpty();
  }

  @Nested
  class Malformed {
    @Test
    void refusesAPercentWithoutTwoHexDigits() {
      assertThatThrownBy(() -> QueryString.parse("port=6881&info_hash=%12%G4"))
          .isInstanceOf(AnnounceRefusedException.class)
          .hasMessage("parameter info_hash has a % not followed by two hex digits at character 3");
    }

    @Test
    void refusesAPercentCutShortAtTheEnd() {
      assertThatThrownBy(() -> QueryString.parse("peer_id=abc%4"))
          .isInstanceOf(AnnounceRefusedException.class)
          .hasMessageContaining("parameter peer_id has a % not followed by two hex digits");
    }

    @Test
    void refusesAParameterGivenTwice() {
      assertThatThrownBy(() -> QueryString.parse("port=1&port=2"))
          .isInstanceOf(AnnounceRefusedException.class)
          .hasMessage("parameter port is given twice");
    }

    @Test
    void refusesACharacterThatIsNotAscii() {
      assertThatThrownBy(() -> QueryString.parse("event=st\u00e4rted"))
          .isInstanceOf(AnnounceRefusedException.class)
          .hasMessageContaining("parameter event has a character that is not ASCII");
    }
  }

  @Nested
  class TooLarge {
    @Test
    void refusesAQueryLongerThanTheCapBeforeSplittingIt() {
      String query = "a=" + "x".repeat(QueryString.MAX_LENGTH);

      assertThatThrownBy(() -> QueryString.parse(query))
          .isInstanceOf(AnnounceRefusedException.class)
          .hasMessage("query is 4098 characters, more than the 4096 allowed");
    }
  }
}
