package dev.piecemeal.bitfield;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.testing.ChapterQuotes;
import org.junit.jupiter.api.Test;

/** docs/06-bitfield.md quotes this module's code; the quotes must match the code as it is. */
class BitfieldChapterTest {

  @Test
  void quotesTheCodeAsItIs() {
    assertThat(ChapterQuotes.quoteCount("06-bitfield.md")).isPositive();
    assertThat(ChapterQuotes.mismatches("06-bitfield.md", "06-bitfield")).isEmpty();
  }
}
