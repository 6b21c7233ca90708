package dev.piecemeal.client.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A duration as a person types it: a number and a unit, {@code 90s}, {@code 30m}, {@code 2h},
 * {@code 1d}, fractions allowed ({@code 1.5h}), or a plain number of seconds ({@code 45}). A bad
 * one is bad input (status 2), named with the option: {@code --seed-time 5x is not a duration
 * (90s, 30m, 2h, 1d, or seconds)}.
 */
final class DurationArgument {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9}(?:\\.\\d{1,9})?)([smhd]?)");

  private DurationArgument() {}

  /** {@code text} as a duration from {@code min} to {@code max}, in whole milliseconds. */
  static Duration parse(String option, String text, Duration min, Duration max) throws CommandException {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      throw new CommandException(ExitCodes.BAD_INPUT,
          option + " " + text + " is not a duration (90s, 30m, 2h, 1d, or seconds)");
    }
    long unitSeconds = switch (m.group(2)) {
      case "m" -> 60;
      case "h" -> 3600;
      case "d" -> 86400;
      default -> 1;
    };
    // at most 9 digits either side of the point: no overflow on the way to milliseconds
    long millis = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitSeconds * 1000)).longValue();
    Duration duration = Duration.ofMillis(millis);
    if (duration.compareTo(min) < 0 || duration.compareTo(max) > 0) {
      throw new CommandException(ExitCodes.BAD_INPUT,
          option + " " + text + " is not in " + shortly(min) + ".." + shortly(max));
    }
    return duration;
  }

  /** 1 s as {@code 1s}, 30 days as {@code 30d}: the largest unit that divides it. */
  static String shortly(Duration duration) {
    long s = duration.toSeconds();
    if (s > 0 && s % 86400 == 0) {
      return s / 86400 + "d";
    }
    if (s > 0 && s % 3600 == 0) {
      return s / 3600 + "h";
    }
    if (s > 0 && s % 60 == 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }
}
