package dev.piecemeal.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PeerAddressTest {

  @Test
  void printsIpv4AsHostColonPort() throws Exception {
    assertThat(PeerAddress.of("192.0.2.7", 6881)).hasToString("192.0.2.7:6881");
  }

  @Test
  void printsIpv6InBrackets() throws Exception {
    assertThat(PeerAddress.of("2001:db8::1", 6881)).hasToString("[2001:db8:0:0:0:0:0:1]:6881");
  }

  @Test
  void parsesWhatItPrints() {
    assertThat(PeerAddress.parse("127.0.0.1:51413").port()).isEqualTo(51413);
    assertThat(PeerAddress.parse("[::1]:6881").isIpv6()).isTrue();
  }

  @Test
  void rejectsPortZero() {
    assertThatThrownBy(() -> PeerAddress.of("127.0.0.1", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port 0");
  }

  @Test
  void refusesHostNamesSoNoDnsLookupIsMade() {
    assertThatThrownBy(() -> PeerAddress.parse("example.invalid:6881"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an IP address");
  }

  @Test
  void rejectsTextWithoutAPort() {
    assertThatThrownBy(() -> PeerAddress.parse("127.0.0.1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("HOST:PORT");
  }

  @Test
  void refusesHostNamesMadeOfHexDigits() {
    assertThatThrownBy(() -> PeerAddress.parse("cafe:6881"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an IP address");
    assertThatThrownBy(() -> PeerAddress.of("beef.de", 6881))
        .hasMessageContaining("not an IP literal");
  }

  @Test
  void refusesIpv4WithLeadingZeros() {
    assertThatThrownBy(() -> PeerAddress.of("010.0.0.1", 6881))
        .hasMessageContaining("not an IP literal");
  }
}
