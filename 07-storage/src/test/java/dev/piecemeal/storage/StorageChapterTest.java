package dev.piecemeal.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.testing.ChapterQuotes;
import org.junit.jupiter.api.Test;

/** docs/07-storage.md quotes this module's code; the quotes must match the code as it is. */
class StorageChapterTest {

  @Test
  void quotesTheCodeAsItIs() {
    assertThat(ChapterQuotes.quoteCount("07-storage.md")).isPositive();
    assertThat(ChapterQuotes.mismatches("07-storage.md", "07-storage")).isEmpty();
  }
}
