package dev.piecemeal.messages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.testing.ChapterQuotes;
import org.junit.jupiter.api.Test;

/** docs/05-messages.md quotes this module's code; the quotes must match the code as it is. */
class MessagesChapterTest {

  @Test
  void quotesTheCodeAsItIs() {
    assertThat(ChapterQuotes.quoteCount("05-messages.md")).isPositive();
    assertThat(ChapterQuotes.mismatches("05-messages.md", "05-messages")).isEmpty();
  }
}
