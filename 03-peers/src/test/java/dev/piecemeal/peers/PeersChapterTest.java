package dev.piecemeal.peers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.testing.ChapterQuotes;
import org.junit.jupiter.api.Test;

/** docs/03-peers.md quotes this module's code; the quotes must match the code as it is. */
class PeersChapterTest {

  @Test
  void quotesTheCodeAsItIs() {
    assertThat(ChapterQuotes.quoteCount("03-peers.md")).isPositive();
    assertThat(ChapterQuotes.mismatches("03-peers.md", "03-peers")).isEmpty();
  }
}
