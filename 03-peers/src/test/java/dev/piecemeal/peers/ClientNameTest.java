package dev.piecemeal.peers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.tracker.PeerId;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ClientNameTest {

  /** A peer id with this printable prefix, padded with the kind of random bytes clients add. */
  static PeerId peerId(String prefix) {
    byte[] id = new byte[PeerId.LENGTH];
    byte[] start = prefix.getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(start, 0, id, 0, start.length);
    for (int i = start.length; i < id.length; i++) {
      id[i] = (byte) (0x80 + i);
    }
    return PeerId.fromBytes(id);
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "-TR3000-   | Transmission 3.00",
        "-TR2940-   | Transmission 2.94",
        "-TR300Z-   | Transmission 3.00 (dev)",
        "-TR4050-   | Transmission 4.0.5",
        "-LT2080-   | libtorrent 2.0.8",
        "-LT20C0-   | libtorrent 2.0.12",
        "-lt0D80-   | libTorrent (rakshasa) 0.13.8",
        "-qB4250-   | qBittorrent 4.2.5",
        "-DE13F0-   | Deluge 1.3.15.0",
        "-DE211s-   | Deluge 2.1.1",
        "-UT355W-   | uTorrent 3.5.5",
        "-UT2210B   | uTorrent 2.2.10 beta",
        "-AZ5770-   | Vuze 5.7.7.0",
        "-PM0100-   | Piecemeal 0.1.0",
        "-BT7a5B-   | BitTorrent 7.10.5 beta",
        "-KT4130-   | KTorrent 4.1.3",
        "-KT22R1-   | KTorrent 2.2 RC1",
        "A2-1-36-0- | aria2 1.36.0",
        "M7-4-3--   | BitTorrent 7.4.3",
      })
  void namesKnownClientsWithTheirVersion(String prefix, String expected) {
    assertThat(ClientName.fromPeerId(peerId(prefix.strip()))).map(ClientName::toString).contains(expected);
  }

  @Test
  void ourOwnIdNamesPiecemeal() {
    assertThat(ClientName.fromPeerId(PeerId.random())).map(ClientName::client).contains("Piecemeal");
  }

  @Test
  void anUnknownAzureusCodeIsUnknown() {
    assertThat(ClientName.fromPeerId(peerId("-ZZ1234-"))).isEmpty();
  }

  @Test
  void aBinaryIdIsUnknown() {
    assertThat(ClientName.fromPeerId(peerId(""))).isEmpty();
  }

  @Test
  void aKnownClientWithAnUnreadableVersionKeepsItsNameAndInventsNoVersion() {
    Optional<ClientName> name = ClientName.fromPeerId(peerId("-TR??!!-"));
    assertThat(name).map(ClientName::toString).contains("Transmission");
  }
}
