package dev.piecemeal.tracker.server;

import static dev.piecemeal.tracker.server.TestAnnounces.TORRENT;
import static dev.piecemeal.tracker.server.TestAnnounces.peerId;
import static dev.piecemeal.tracker.server.TestAnnounces.rawQuery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.tracker.AnnounceEvent;
import dev.piecemeal.tracker.PercentEncoding;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class AnnounceQueryTest {

  @Test
  void readsEveryField() throws Exception {
    AnnounceQuery query = AnnounceQuery.parse("info_hash=%124Vx%9A%BC%DE%F1%23Eg%89%AB%CD%EF%124Vx%9A"
        + "&peer_id=-PM0100-%00%00%00%00%00%00%00%00%00%00%00%01"
        + "&port=6881&uploaded=10&downloaded=20&left=30&event=completed&numwant=7&compact=1"
        + "&key=1A2B3C4D&ip=192.0.2.99");

    assertThat(query.infoHash()).isEqualTo(TORRENT);
    assertThat(query.peerId()).isEqualTo(peerId(1));
    assertThat(query.port()).isEqualTo(6881);
    assertThat(query.uploaded()).isEqualTo(10);
    assertThat(query.downloaded()).isEqualTo(20);
    assertThat(query.left()).isEqualTo(30);
    assertThat(query.event()).isEqualTo(AnnounceEvent.COMPLETED);
    assertThat(query.numwant()).hasValue(7);
    assertThat(query.compact()).isTrue();
  }

  @Test
  void readsAnAnnounceWithoutOptionalParametersAsARegularOneWithTheDefaults() throws Exception {
    AnnounceQuery query = AnnounceQuery.parse(rawQuery(""));

    assertThat(query.event()).isEqualTo(AnnounceEvent.NONE);
    assertThat(query.numwant()).isEmpty();
    assertThat(query.compact()).as("no compact=1: the dictionary form").isFalse();
  }

  @Test
  void readsAnEmptyEventAsARegularAnnounce() throws Exception {
    assertThat(AnnounceQuery.parse(rawQuery("&event=")).event()).isEqualTo(AnnounceEvent.NONE);
  }

  @Test
  void readsEachEventByItsWireName() throws Exception {
    assertThat(AnnounceQuery.parse(rawQuery("&event=started")).event()).isEqualTo(AnnounceEvent.STARTED);
    assertThat(AnnounceQuery.parse(rawQuery("&event=stopped")).event()).isEqualTo(AnnounceEvent.STOPPED);
  }

  @Test
  void readsCompactZeroAsTheDictionaryForm() throws Exception {
    assertThat(AnnounceQuery.parse(rawQuery("&compact=0")).compact()).isFalse();
  }

  /** The refusals, each with the parameter it names. */
  private static void assertRefused(String rawQuery, String reason) {
    assertThatThrownBy(() -> AnnounceQuery.parse(rawQuery))
        .isInstanceOf(AnnounceRefusedException.class)
        .hasMessage(reason);
  }

  @Nested
  class Missing {
    @Test
    void refusesAnAnnounceWithoutAnInfoHash() {
      assertRefused("port=6881", "missing parameter info_hash");
    }

    @Test
    void refusesAnAnnounceWithoutAPort() {
      assertRefused(rawQuery("").replace("&port=6881", ""), "missing parameter port");
    }

    @Test
    void refusesAnAnnounceWithoutLeft() {
      assertRefused(rawQuery("").replace("&left=1000", ""), "missing parameter left");
    }
  }

  @Nested
  class WrongLength {
    @Test
    void refusesAnInfoHashOfNineteenBytes() {
      String query = rawQuery("").replace(PercentEncoding.encode(TORRENT.bytes()),
          PercentEncoding.encode(java.util.Arrays.copyOf(TORRENT.bytes(), 19)));

      assertRefused(query, "info_hash is 19 bytes, expected 20 (percent-encoded raw bytes, not hex)");
    }

    @Test
    void refusesAnInfoHashWrittenAsFortyHexDigits() {
      String query = rawQuery("").replace(PercentEncoding.encode(TORRENT.bytes()), TORRENT.hex());

      assertRefused(query, "info_hash is 40 bytes, expected 20 (percent-encoded raw bytes, not hex)");
    }

    @Test
    void refusesAPeerIdOfTwentyOneBytes() {
      String query = rawQuery("").replace("&port", "%FF&port");

      assertRefused(query, "peer_id is 21 bytes, expected 20 (percent-encoded raw bytes, not hex)");
    }
  }

  @Nested
  class Malformed {
    @Test
    void refusesAPortOfZero() {
      assertRefused(rawQuery("").replace("port=6881", "port=0"), "port 0 is not in 1..65535");
    }

    @Test
    void refusesAPortAbove65535() {
      assertRefused(rawQuery("").replace("port=6881", "port=65536"), "port 65536 is not in 1..65535");
    }

    @Test
    void refusesANegativeCount() {
      assertRefused(rawQuery("").replace("left=1000", "left=-1"), "left '-1' is not a decimal number");
    }

    @Test
    void refusesACountTooLargeForALong() {
      assertRefused(rawQuery("").replace("left=1000", "left=99999999999999999999"),
          "left 99999999999999999999 is not in 0..9223372036854775807");
    }

    @Test
    void refusesANumwantThatIsNotANumber() {
      assertRefused(rawQuery("&numwant=lots"), "numwant 'lots' is not a decimal number");
    }

    @Test
    void refusesANegativeNumwant() {
      assertRefused(rawQuery("&numwant=-5"), "numwant '-5' is not a decimal number");
    }

    @Test
    void refusesAnUnknownEvent() {
      assertRefused(rawQuery("&event=paused"), "event 'paused' is not started, completed or stopped");
    }
  }
}
