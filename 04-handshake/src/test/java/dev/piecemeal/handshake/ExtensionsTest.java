package dev.piecemeal.handshake;

import static dev.piecemeal.testing.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExtensionsTest {

  @Test
  void extensionProtocolIsByte5Mask0x10() {
    assertThat(Extensions.of(Extension.EXTENSION_PROTOCOL).bytes()).containsExactly(hex("00 00 00 00 00 10 00 00"));
  }

  @Test
  void fastIsByte7Mask0x04() {
    assertThat(Extensions.of(Extension.FAST).bytes()).containsExactly(hex("00 00 00 00 00 00 00 04"));
  }

  @Test
  void dhtIsByte7Mask0x01() {
    assertThat(Extensions.of(Extension.DHT).bytes()).containsExactly(hex("00 00 00 00 00 00 00 01"));
  }

  @Test
  void readsTheBitsTransmissionSets() {
    Extensions transmission = Extensions.fromBytes(hex("00 00 00 00 00 10 00 05"));
    assertThat(transmission.named()).containsExactly(Extension.DHT, Extension.FAST, Extension.EXTENSION_PROTOCOL);
    assertThat(transmission).hasToString("BEP5-DHT, BEP6-fast, BEP10-extension-protocol");
    assertThat(transmission.bits()).isEqualTo(0x0000_0000_0010_0005L);
  }

  @Test
  void noBitsIsNone() {
    assertThat(Extensions.none()).hasToString("none");
    assertThat(Extensions.none().bytes()).containsExactly(new byte[8]);
  }

  @Test
  void keepsBitsItHasNoNameFor() {
    byte[] azureus = hex("80 00 00 00 00 10 00 01"); // byte 0, 0x80: Azureus's own messaging protocol
    Extensions extensions = Extensions.fromBytes(azureus);
    assertThat(extensions.bytes()).as("round trip").containsExactly(azureus);
    assertThat(extensions.unnamedBits()).isEqualTo(0x8000_0000_0000_0000L);
    assertThat(extensions).hasToString("BEP5-DHT, BEP10-extension-protocol");
  }

  @Test
  void rejectsAReservedFieldThatIsNot8Bytes() {
    assertThatThrownBy(() -> Extensions.fromBytes(new byte[7]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the reserved field is 8 bytes, not 7");
  }
}
