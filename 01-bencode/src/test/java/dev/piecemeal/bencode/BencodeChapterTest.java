package dev.piecemeal.bencode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.testing.ChapterQuotes;
import org.junit.jupiter.api.Test;

/** docs/01-bencode.md quotes this module's code; the quotes must match the code as it is. */
class BencodeChapterTest {

  @Test
  void quotesTheCodeAsItIs() {
    assertThat(ChapterQuotes.quoteCount("01-bencode.md")).isPositive();
    assertThat(ChapterQuotes.mismatches("01-bencode.md", "01-bencode")).isEmpty();
  }
}
