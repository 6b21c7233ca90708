package dev.piecemeal.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.testing.ChapterQuotes;
import org.junit.jupiter.api.Test;

/** docs/04-handshake.md quotes this module's code; the quotes must match the code as it is. */
class HandshakeChapterTest {

  @Test
  void quotesTheCodeAsItIs() {
    assertThat(ChapterQuotes.quoteCount("04-handshake.md")).isPositive();
    assertThat(ChapterQuotes.mismatches("04-handshake.md", "04-handshake")).isEmpty();
  }
}
