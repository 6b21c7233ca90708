package dev.piecemeal.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.testing.GoldenFiles;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/** {@code piecemeal info 'magnet:?…'}: what the link says, and one error line for a bad one. */
class InfoCommandMagnetTest {
  private static final Path GOLDEN = Paths.get("src/test/resources/golden");
  private static final String HASH = "d2354010a3ca4ade5b7427bb093a62a3899ff381";

  /** A link with every part, kept as a golden file a chapter can quote. */
  @Test
  void printsEverythingALinkSays() {
    CliRunner.Result result = CliRunner.run("info", "magnet:?xt=urn:btih:" + HASH
        + "&xt=urn:btmh:1220" + "cd".repeat(32)
        + "&dn=Display%20Name"
        + "&tr=http%3A%2F%2Ftracker.example%2Fannounce&tr=udp://tracker.example:6969"
        + "&x.pe=192.0.2.7:6881&x.pe=[2001:db8::1]:51413"
        + "&ws=http%3A%2F%2Fseed.example%2Ffile"
        + "&so=0,2-4");
    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);
    assertThat(result.err()).isEmpty();
    GoldenFiles.check(GOLDEN.resolve("info-magnet.expected.txt"), result.out());
  }

  @Test
  void aLinkWithOnlyItsInfoHashSaysWhatItLacks() {
    CliRunner.Result result = CliRunner.run("info", "MAGNET:?xt=urn:btih:2I2UAEFDZJFN4W3UE65QSOTCUOEZ744B");
    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(result.out()).isEqualTo(String.join("\n",
        "name:        none in the link",
        "info hash:   " + HASH,
        "trackers:    none",
        "peers:       none",
        "metadata:    not in a magnet link: files, sizes and piece hashes come from peers",
        ""));
  }

  @Test
  void aNameWithControlCharactersIsShownNotObeyed() {
    CliRunner.Result result = CliRunner.run("info", "magnet:?xt=urn:btih:" + HASH + "&dn=a%1B%5B2Jb%0Ac");
    assertThat(result.out()).contains("name:        a\\x1b[2Jb\\nc\n");
  }

  @Test
  void aMalformedLinkIsOneErrorLineNamingTheParameterAndOffset() {
    CliRunner.Result result = CliRunner.run("info", "magnet:?xt=urn:btih:abc&dn=x");
    assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.out()).isEmpty();
    assertThat(result.errLines()).containsExactly(
        "error: magnet link: xt: info-hash \"abc\" is 3 characters, not 40 (hex) or 32 (base32) at offset 11");
  }

  @Test
  void aV2OnlyLinkIsOneErrorLine() {
    CliRunner.Result result = CliRunner.run("info", "magnet:?xt=urn:btmh:1220" + "cd".repeat(32));
    assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.errLines()).hasSize(1);
    assertThat(result.err()).startsWith("error: magnet link: xt: v2 magnet links (urn:btmh) are not supported yet");
  }

  @Test
  void aBadEscapeIsOneErrorLine() {
    CliRunner.Result result = CliRunner.run("info", "magnet:?xt=urn:btih:" + HASH + "&tr=udp%3A%2F%2Fx%zz");
    assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.errLines()).containsExactly(
        "error: magnet link: tr: \"%zz\" is not a percent escape (a % and two hex digits) at offset 77");
  }

  @Test
  void aLinkMissingItsQuestionMarkIsStillReadAsALinkAndRefused() {
    CliRunner.Result result = CliRunner.run("info", "magnet:xt=urn:btih:" + HASH);
    assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.errLines()).containsExactly(
        "error: magnet link: not a magnet link: it must begin with \"magnet:?\", not \"magnet:x\" at offset 0");
  }

  /** The argument is text, to hold a link; a file name the system cannot take is still one error line. */
  @Test
  void aFileNameTheSystemCannotTakeIsOneErrorLine() {
    CliRunner.Result result = CliRunner.run("info", "a\0b.torrent");
    assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.errLines()).hasSize(1);
    assertThat(result.err()).startsWith("error: a\\x00b.torrent: not a file name: ");
  }
}
