package dev.piecemeal.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.testing.ChapterQuotes;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The chapters that walk through final-client (8, the download engine; 9, giving back; 11's
 * section on resume data, to be merged into 11-performance.md) quote its
 * code; the quotes must match the code as it is, and every tagged region is quoted by one of them.
 */
class FinalClientChapterTest {
  private static final List<String> CHAPTERS = List.of("08-final-client.md", "09-seeding.md", "11-resume-section.md");

  @Test
  void quotesTheCodeAsItIs() {
    for (String chapter : CHAPTERS) {
      assertThat(ChapterQuotes.quoteCount(chapter)).as(chapter).isPositive();
    }
    assertThat(ChapterQuotes.mismatches("final-client", CHAPTERS)).isEmpty();
  }
}
