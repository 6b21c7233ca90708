package dev.piecemeal.client.cli;

import dev.piecemeal.client.DownloadOptions;
import dev.piecemeal.client.DownloadResult;
import dev.piecemeal.client.StatusLine;
import java.time.Duration;
import java.util.Locale;

/**
 * What {@code download --seed} and {@code seed} share: the checks of their uploading options
 * ({@code --ratio}, {@code --seed-time}, {@code --upload-slots}, {@code --announce-interval}) and
 * the last line of a run that seeded, which says what went out and why seeding ended:
 *
 * <pre>
 * seeded: uploaded 8.0 MiB (ratio 2.00), until the ratio 2.00 was reached
 * seeded: uploaded 1.3 MiB (ratio 0.33), until stopped
 * </pre>
 *
 * The ratio is uploaded bytes over the torrent's size, as the engine counts it ({@link
 * dev.piecemeal.client.Progress.Snapshot#ratio}).
 */
final class SeedingOptions {
  /** The highest --ratio: a thousand copies of the torrent. */
  static final double MAX_RATIO = 1000;
  static final Duration MIN_SEED_TIME = Duration.ofSeconds(1);
  /** The longest --seed-time, 30 days, as for --give-up-after. */
  static final Duration MAX_SEED_TIME = Duration.ofDays(30);
  /** The most upload slots: as many as peers may be connected. */
  static final int MAX_UPLOAD_SLOTS = 1000;
  /** The longest --announce-interval: a day. */
  static final double MAX_ANNOUNCE_SECONDS = 86400;

  private SeedingOptions() {}

  /** {@code --ratio R}: more than 0 (0 would mean "no limit" to the engine); null when not given. */
  static double ratio(Double ratio) throws CommandException {
    if (ratio == null) {
      return 0;
    }
    OptionChecks.inRange("--ratio", ratio, 0.01, MAX_RATIO, "(uploaded / torrent size)");
    return ratio;
  }

  /** {@code --seed-time DURATION}; zero (no limit) when not given. */
  static Duration seedTime(String seedTime) throws CommandException {
    return seedTime == null
        ? Duration.ZERO
        : DurationArgument.parse("--seed-time", seedTime, MIN_SEED_TIME, MAX_SEED_TIME);
  }

  /** {@code --announce-interval SECONDS}; zero (the tracker's interval) when not given. */
  static Duration announceInterval(Double seconds) throws CommandException {
    if (seconds == null) {
      return Duration.ZERO;
    }
    OptionChecks.inRange("--announce-interval", seconds, 1, MAX_ANNOUNCE_SECONDS, "seconds");
    return Duration.ofMillis(Math.round(seconds * 1000));
  }

  /** The last line of a run that seeded: what went out, and why it ended. */
  static String seededLine(DownloadResult result, DownloadOptions options) {
    double ratio = result.totalLength() == 0 ? 0 : (double) result.bytesUploaded() / result.totalLength();
    String until;
    if (result.stopped()) {
      until = "until stopped";
    } else if (options.seedRatio() > 0 && result.bytesUploaded() >= options.seedRatio() * result.totalLength()) {
      until = String.format(Locale.ROOT, "until the ratio %.2f was reached", options.seedRatio());
    } else {
      until = "until the seeding time " + StatusLine.clock(options.seedTime()) + " was up";
    }
    return String.format(Locale.ROOT, "seeded: uploaded %s (ratio %.2f), %s",
        StatusLine.size(result.bytesUploaded()), ratio, until);
  }
}
