package dev.piecemeal.client.magnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.tracker.PeerAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MagnetLinkTest {
  private static final String HASH = "d2354010a3ca4ade5b7427bb093a62a3899ff381";
  private static final String XT = "magnet:?xt=urn:btih:" + HASH;

  @Test
  void readsEveryPartOfAHybridLink() throws Exception {
    MagnetLink link = MagnetLink.parse("magnet:?xt=urn:btih:" + HASH
        + "&xt=urn:btmh:1220" + "ab".repeat(32)
        + "&dn=Display%20Name"
        + "&tr=http%3A%2F%2Ftracker.example%2Fannounce"
        + "&tr=udp://t.example:6969"
        + "&x.pe=192.0.2.7:6881&x.pe=[2001:db8::1]:51413"
        + "&ws=http%3A%2F%2Fseed.example%2Ffile"
        + "&so=4,0-2");

    assertThat(link.infoHash()).isEqualTo(InfoHash.fromHex(HASH));
    assertThat(link.displayName()).contains("Display Name");
    assertThat(link.trackers()).containsExactly("http://tracker.example/announce", "udp://t.example:6969");
    assertThat(link.peers()).containsExactly(
        PeerAddress.parse("192.0.2.7:6881"), PeerAddress.parse("[2001:db8::1]:51413"));
    assertThat(link.webSeeds()).containsExactly("http://seed.example/file");
    assertThat(link.selectOnly()).containsExactly(new MagnetLink.FileRange(0, 2), new MagnetLink.FileRange(4, 4));
    assertThat(link.v2InfoHash()).contains("ab".repeat(32));
  }

  @Test
  void aLinkWithOnlyTheInfoHashHasNothingElse() throws Exception {
    MagnetLink link = MagnetLink.parse(XT);
    assertThat(link).isEqualTo(new MagnetLink(InfoHash.fromHex(HASH), Optional.empty(), List.of(),
        List.of(), List.of(), List.of(), Optional.empty()));
  }

  @Test
  void readsABase32InfoHashAsTheSameTwentyBytes() throws Exception {
    MagnetLink hex = MagnetLink.parse(XT);
    MagnetLink base32 = MagnetLink.parse("magnet:?xt=urn:btih:2I2UAEFDZJFN4W3UE65QSOTCUOEZ744B");
    assertThat(base32.infoHash()).isEqualTo(hex.infoHash());
  }

  @Test
  void eachTrackerIsATierOfItsOwnInTheLinksOrder() throws Exception {
    MagnetLink link = MagnetLink.parse(XT + "&tr=udp://b.example:1&tr=http://a.example/announce");
    assertThat(link.trackerTiers()).containsExactly(List.of("udp://b.example:1"), List.of("http://a.example/announce"));
  }

  @Nested
  class PercentDecoding {
    @Test
    void decodesEscapesPlusAndCharactersTypedAsThemselves() throws Exception {
      assertThat(name("a%20b+c")).isEqualTo("a b c");
      assertThat(name("%E2%9C%93")).as("escaped UTF-8").isEqualTo("✓");
      assertThat(name("Café ✓")).as("typed as themselves, as a browser's address bar may hand them over").isEqualTo("Café ✓");
      assertThat(name("%2B")).as("an escaped plus is a plus").isEqualTo("+");
    }

    @Test
    void bytesThatAreNotUtf8BecomeReplacementCharacters() throws Exception {
      assertThat(name("a%FFb")).isEqualTo("a\uFFFDb");
    }

    @Test
    void decodesAfterSplittingSoAnEscapedAmpersandStaysInItsValue() throws Exception {
      MagnetLink link = MagnetLink.parse(XT + "&tr=http%3A%2F%2Ft.example%2Fa%3Fx%3D1%26y%3D2&dn=n");
      assertThat(link.trackers()).containsExactly("http://t.example/a?x=1&y=2");
      assertThat(link.displayName()).contains("n");
    }

    @Test
    void theLastNonEmptyNameCounts() throws Exception {
      assertThat(MagnetLink.parse(XT + "&dn=first&dn=second&dn=").displayName()).contains("second");
    }

    private String name(String encoded) throws MagnetException {
      return MagnetLink.parse(XT + "&dn=" + encoded).displayName().orElseThrow();
    }
  }

  @Nested
  class Hints {
    @Test
    void skipsAPeerGivenByHostNameWithoutLookingItUp() throws Exception {
      MagnetLink link = MagnetLink.parse(XT + "&x.pe=peer.example:6881&x.pe=127.0.0.1:0&x.pe=127.0.0.1:6881");
      assertThat(link.peers()).containsExactly(PeerAddress.parse("127.0.0.1:6881"));
    }

    @Test
    void keepsARepeatedPeerOnce() throws Exception {
      assertThat(MagnetLink.parse(XT + "&x.pe=127.0.0.1:1&x.pe=127.0.0.1:1").peers()).hasSize(1);
    }

    @Test
    void keepsAHugeSelectOnlyRangeAsOneRange() throws Exception {
      MagnetLink link = MagnetLink.parse(XT + "&so=0-2000000000,5");
      assertThat(link.selectOnly()).containsExactly(new MagnetLink.FileRange(0, 2_000_000_000));
    }

    @Test
    void skipsSelectOnlyEntriesPastTheLargestInt() throws Exception {
      MagnetLink link = MagnetLink.parse(XT + "&so=2147483648,1-99999999999,2147483647");
      assertThat(link.selectOnly()).containsExactly(new MagnetLink.FileRange(Integer.MAX_VALUE, Integer.MAX_VALUE));
    }

    @Test
    void joinsTouchingSelectOnlyRanges() throws Exception {
      assertThat(MagnetLink.parse(XT + "&so=3-4,0-2,6").selectOnly())
          .containsExactly(new MagnetLink.FileRange(0, 4), new MagnetLink.FileRange(6, 6));
    }
  }

  @Test
  void tellsALinkFromAFileName() {
    assertThat(MagnetLink.looksLikeOne("magnet:?xt=urn:btih:" + HASH)).isTrue();
    assertThat(MagnetLink.looksLikeOne("MAGNET:?")).isTrue();
    assertThat(MagnetLink.looksLikeOne("magnet.torrent")).isFalse();
    assertThat(MagnetLink.looksLikeOne("samples/magnet:x.torrent")).isFalse();
  }

  @Nested
  class Malformed {
    @Test
    void aBadEscapeIsPointedAtByTheOffsetOfItsPercentSign() {
      String uri = XT + "&dn=ok%2";
      MagnetException e = catchThrowableOfType(MagnetException.class, () -> MagnetLink.parse(uri));
      assertThat(e.parameter()).contains("dn");
      assertThat(e.offset()).isEqualTo(uri.indexOf("%2"));
      assertThat(e).hasMessage("magnet link: dn: \"%2\" is not a percent escape (a % and two hex digits) at offset 66");
    }

    @Test
    void aBadEscapeInAParameterWeDoNotUseIsStillAnError() {
      assertThatThrownBy(() -> MagnetLink.parse(XT + "&xl=1%G0"))
          .isInstanceOf(MagnetException.class)
          .hasMessageContaining("xl: \"%G0\" is not a percent escape");
    }

    @Test
    void digitsOfOtherScriptsAreNotHexDigits() {
      // U+0663 ARABIC-INDIC DIGIT THREE: Character.digit reads it as 3.
      assertThatThrownBy(() -> MagnetLink.parse(XT + "&dn=%4\u0663"))
          .isInstanceOf(MagnetException.class)
          .hasMessageContaining("is not a percent escape");
      assertThatThrownBy(() -> MagnetLink.parse("magnet:?xt=urn:btih:" + HASH.substring(1) + "\u0663"))
          .isInstanceOf(MagnetException.class)
          .hasMessageContaining("info-hash character 39 is U+0663, not a hex digit");
    }

    @Test
    void aHashOfTheWrongLengthNamesTheParameterAndWhereItsValueBegins() {
      MagnetException e = catchThrowableOfType(MagnetException.class,
          () -> MagnetLink.parse("magnet:?dn=x&xt=urn:btih:abc"));
      assertThat(e).hasMessage(
          "magnet link: xt: info-hash \"abc\" is 3 characters, not 40 (hex) or 32 (base32) at offset 16");
      assertThat(e.parameter()).contains("xt");
      assertThat(e.problem()).isEqualTo("info-hash \"abc\" is 3 characters, not 40 (hex) or 32 (base32)");
    }

    @Test
    void aLongValueIsCutInTheMessage() {
      String hash = "a".repeat(1000);
      MagnetException e = catchThrowableOfType(MagnetException.class,
          () -> MagnetLink.parse("magnet:?xt=urn:btih:" + hash));
      assertThat(e).hasMessage("magnet link: xt: info-hash \"" + "a".repeat(48)
          + "…\" is 1000 characters, not 40 (hex) or 32 (base32) at offset 11");
    }

    @Test
    void aLinkWithNoInfoHashSaysWhatItNeeds() {
      MagnetException e = catchThrowableOfType(MagnetException.class, () -> MagnetLink.parse("magnet:?dn=x"));
      assertThat(e).hasMessage("magnet link: xt: no info-hash: a magnet link needs xt=urn:btih: and 40 hex"
          + " or 32 base32 characters");
      assertThat(e.offset()).isEqualTo(-1);
    }

    @Test
    void aV2OnlyLinkIsRecognisedAndRefusedAsNotSupportedYet() {
      String v2 = "cd".repeat(32);
      MagnetException e = catchThrowableOfType(MagnetException.class,
          () -> MagnetLink.parse("magnet:?xt=urn:btmh:1220" + v2 + "&dn=x"));
      assertThat(e).hasMessage("magnet link: xt: v2 magnet links (urn:btmh) are not supported yet;"
          + " this one has the v2 info-hash " + v2 + " and no urn:btih");
    }

    @Test
    void notAMagnetLinkShowsHowItBegins() {
      assertThatThrownBy(() -> MagnetLink.parse("http://example.com/?xt=urn:btih:" + HASH))
          .isInstanceOf(MagnetException.class)
          .hasMessage("magnet link: not a magnet link: it must begin with \"magnet:?\", not \"http://e\" at offset 0");
    }
  }

  @Nested
  class TooLarge {
    @Test
    void refusesALinkLongerThanTheLimitBeforeReadingIt() {
      String link = XT + "&x=" + "a".repeat(MagnetLink.MAX_LENGTH - XT.length() - 2);
      assertThat(link).hasSize(MagnetLink.MAX_LENGTH + 1);
      assertThatThrownBy(() -> MagnetLink.parse(link))
          .isInstanceOf(MagnetException.class)
          .hasMessage("magnet link: 65,537 characters is longer than the 65,536 accepted at offset 65536");
    }

    @Test
    void acceptsALinkOfExactlyTheLimit() throws Exception {
      String link = XT + "&x=" + "a".repeat(MagnetLink.MAX_LENGTH - XT.length() - 3);
      assertThat(link).hasSize(MagnetLink.MAX_LENGTH);
      assertThat(MagnetLink.parse(link).infoHash().hex()).isEqualTo(HASH);
    }

    @Test
    void refusesMoreThanTwoHundredTrackersCountingThoseItWouldSkip() throws Exception {
      assertThat(MagnetLink.parse(XT + "&tr=ftp://x".repeat(MagnetLink.MAX_TRACKERS)).trackers()).isEmpty();
      String link = XT + "&tr=http://t.example".repeat(MagnetLink.MAX_TRACKERS) + "&tr=udp://one.more:1";
      MagnetException e = catchThrowableOfType(MagnetException.class, () -> MagnetLink.parse(link));
      assertThat(e).hasMessageStartingWith("magnet link: tr: more than 200 trackers at offset ");
      assertThat(e.offset()).isEqualTo(link.lastIndexOf("udp://"));
    }

    @Test
    void refusesMoreThanTwoHundredPeers() throws Exception {
      assertThat(MagnetLink.parse(XT + "&x.pe=127.0.0.1:1".repeat(MagnetLink.MAX_PEERS)).peers()).hasSize(1);
      assertThatThrownBy(() -> MagnetLink.parse(XT + "&x.pe=127.0.0.1:1".repeat(MagnetLink.MAX_PEERS + 1)))
          .isInstanceOf(MagnetException.class)
          .hasMessageStartingWith("magnet link: x.pe: more than 200 peers at offset ");
    }
  }

  @Nested
  class Values {
    @Test
    void aFileRangeRunsForwardFromZero() {
      assertThatThrownBy(() -> new MagnetLink.FileRange(3, 2)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> new MagnetLink.FileRange(-1, 2)).isInstanceOf(IllegalArgumentException.class);
      assertThat(new MagnetLink.FileRange(2, 4)).hasToString("2-4");
      assertThat(new MagnetLink.FileRange(7, 7)).hasToString("7");
    }

    @Test
    void aV2InfoHashIsSixtyFourLowercaseHexDigits() {
      assertThatThrownBy(() -> new MagnetLink(InfoHash.fromHex(HASH), Optional.empty(), List.of(),
          List.of(), List.of(), List.of(), Optional.of("AB".repeat(32))))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class Base32Digits {
    /** RFC 4648, section 10: BASE32("fooba") = "MZXW6YTB". */
    @Test
    void decodesTheRfcTestVector() {
      assertThat(new String(Base32.decode("MZXW6YTB"), StandardCharsets.US_ASCII)).isEqualTo("fooba");
      assertThat(new String(Base32.decode("mzxw6ytb"), StandardCharsets.US_ASCII)).isEqualTo("fooba");
    }

    @Test
    void refusesADigitOutsideTheAlphabetAndBitsThatAreNotWholeBytes() {
      assertThatThrownBy(() -> Base32.decode("MZXW6YT1")).hasMessage("character 7 is not a base32 digit");
      assertThatThrownBy(() -> Base32.decode("MZX")).hasMessage("3 base32 characters are not whole bytes");
    }
  }
}
