package dev.piecemeal.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PeerIdTest {

  @Test
  void ourIdIsAzureusStyleWithTheBuildVersion() {
    PeerId id = PeerId.random();
    assertThat(id.bytes()).hasSize(20);
    assertThat(id.printablePrefix()).isEqualTo("-PM" + PeerId.versionDigits(PeerId.buildVersion()) + "-");
  }

  @Test
  void theBuildVersionComesFromThePom() {
    assertThat(PeerId.buildVersion()).as("filtered from ${project.version}").matches("\\d+\\.\\d+\\.\\d+.*");
  }

  @Test
  void versionDigitsAreMajorMinorPatchAndZero() {
    assertThat(PeerId.versionDigits("0.1.0")).isEqualTo("0100");
    assertThat(PeerId.versionDigits("3.0.12-SNAPSHOT")).isEqualTo("30C0");
  }

  @Test
  void twoRunsGetDifferentIds() {
    assertThat(PeerId.random()).isNotEqualTo(PeerId.random());
  }

  @Test
  void printableEscapesBinaryBytes() {
    byte[] raw = "-TR3000-abcdefghijk".getBytes(StandardCharsets.US_ASCII);
    byte[] id = new byte[20];
    System.arraycopy(raw, 0, id, 0, raw.length);
    id[19] = (byte) 0xff;
    assertThat(PeerId.fromBytes(id).printable()).isEqualTo("-TR3000-abcdefghijk%FF");
    assertThat(PeerId.fromBytes(id).printablePrefix()).isEqualTo("-TR3000-");
  }
}
