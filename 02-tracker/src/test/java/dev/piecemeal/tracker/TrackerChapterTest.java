package dev.piecemeal.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.testing.ChapterQuotes;
import org.junit.jupiter.api.Test;

/** docs/02-tracker.md quotes this module's code; the quotes must match the code as it is. */
class TrackerChapterTest {

  @Test
  void quotesTheCodeAsItIs() {
    assertThat(ChapterQuotes.quoteCount("02-tracker.md")).isPositive();
    assertThat(ChapterQuotes.mismatches("02-tracker.md", "02-tracker")).isEmpty();
  }
}
