package dev.piecemeal.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MetadataRequestLimitTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  @Test
  void allowsABurstThenRejects() {
    MetadataRequestLimit limit = new MetadataRequestLimit(0);
    for (int i = 0; i < MetadataRequestLimit.BURST; i++) {
      assertThat(limit.allow(0)).as("answer %d of the burst", i + 1).isTrue();
    }
    assertThat(limit.allow(0)).as("one past the burst").isFalse();
  }

  @Test
  void earnsAnswersBackAtItsRate() {
    MetadataRequestLimit limit = new MetadataRequestLimit(0);
    while (limit.allow(0)) {
      // spend the burst
    }
    long later = SECOND / MetadataRequestLimit.PER_SECOND;
    assertThat(limit.allow(later)).as("a quarter second later").isTrue();
    assertThat(limit.allow(later)).as("and no second one then").isFalse();
  }

  @Test
  void neverSavesMoreThanTheBurst() {
    MetadataRequestLimit limit = new MetadataRequestLimit(0);
    long hourLater = 3600 * SECOND;
    int allowed = 0;
    while (limit.allow(hourLater)) {
      allowed++;
    }
    assertThat(allowed).isEqualTo(MetadataRequestLimit.BURST);
  }
}
