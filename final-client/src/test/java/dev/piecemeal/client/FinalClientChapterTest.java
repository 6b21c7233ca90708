package dev.piecemeal.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.testing.ChapterQuotes;
import org.junit.jupiter.api.Test;

/** docs/08-final-client.md quotes the engine's code; the quotes must match the code as it is. */
class FinalClientChapterTest {

  @Test
  void quotesTheCodeAsItIs() {
    assertThat(ChapterQuotes.quoteCount("08-final-client.md")).isPositive();
    assertThat(ChapterQuotes.mismatches("08-final-client.md", "final-client")).isEmpty();
  }
}
