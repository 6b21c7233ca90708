package dev.piecemeal.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HandshakeDumpTest {

  @Test
  void showsEachFieldOnItsOwnLineWithWhatItMeans() {
    assertThat(HandshakeDump.annotate(HandshakeTest.HANDSHAKE))
        .isEqualTo(
            "13                                                            protocol name length: 19\n"
                + "42 69 74 54 6f 72 72 65 6e 74 20 70 72 6f 74 6f 63 6f 6c      \"BitTorrent protocol\"\n"
                + "00 00 00 00 00 10 00 05                                       reserved: BEP5-DHT, BEP6-fast,"
                + " BEP10-extension-protocol\n"
                + "d8 f7 39 ce c3 28 6f 27 fd 34 ef 8e 4b b3 dc 01 cd 1f b1 6f   info hash\n"
                + "2d 54 52 33 30 30 30 2d 61 62 63 64 65 66 67 68 69 6a 6b 6c   peer id -TR3000-abcdefghijkl\n");
  }

  @Test
  void saysWhenBitsWithoutANameAreSet() {
    Handshake azureus =
        new Handshake(Extensions.fromBytes(new byte[] {(byte) 0x80, 0, 0, 0, 0, 0, 0, 0}),
            HandshakeTest.INFO_HASH, HandshakeTest.TRANSMISSION);
    assertThat(HandshakeDump.annotate(azureus)).contains("reserved: none (and bits we have no name for)\n");
  }
}
