package dev.piecemeal.client.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks of a number option that picocli's type check cannot judge, with one message shape for
 * every command: {@code --timeout 0 is not in 1..3600 seconds}. A bad option is bad input (status 2).
 */
final class OptionChecks {
  private static final Pattern SIZE = Pattern.compile("([0-9]{1,12})(k|kib|m|mib|g|gib)?", Pattern.CASE_INSENSITIVE);

  private OptionChecks() {}

  /** {@code --port 0 is not in 1..65535}. */
  static void inRange(String option, long value, long min, long max) throws CommandException {
    inRange(option, value, min, max, "");
  }

  /** {@code --timeout 0 is not in 1..3600 seconds}: the unit, when there is one, follows the range. */
  static void inRange(String option, long value, long min, long max, String unit) throws CommandException {
    if (value < min || value > max) {
      throw new CommandException(ExitCodes.BAD_INPUT,
          option + " " + value + " is not in " + min + ".." + max + (unit.isEmpty() ? "" : " " + unit));
    }
  }

  /** {@code --give-up-after 0 is not in 0.001..2592000 seconds}: a number of seconds, fractions allowed. */
  static void inRange(String option, double value, double min, double max, String unit) throws CommandException {
    if (!(value >= min && value <= max)) { // written so that NaN is out of range too
      throw new CommandException(ExitCodes.BAD_INPUT,
          option + " " + plain(value) + " is not in " + plain(min) + ".." + plain(max) + " " + unit);
    }
  }

  /** {@code --max-dialing 0 is not at least 1}. */
  static void atLeast(String option, long value, long min) throws CommandException {
    if (value < min) {
      throw new CommandException(ExitCodes.BAD_INPUT, option + " " + value + " is not at least " + min);
    }
  }

  /**
   * A size in bytes, as a person types it: {@code 201326592}, {@code 512K}, {@code 64M}, {@code 1G}
   * (also {@code KiB}, {@code MiB}, {@code GiB}; powers of 1024, any case). Out of range: {@code
   * --memory-cap 1K is not in 16M..64G}, the range written in the same units.
   */
  static long size(String option, String text, long min, long max) throws CommandException {
    Matcher m = SIZE.matcher(text.strip());
    if (!m.matches()) {
      throw new CommandException(ExitCodes.BAD_INPUT,
          option + " " + text + " is not a size (like " + plainSize(min) + " or " + plainSize(max) + ")");
    }
    long number = Long.parseLong(m.group(1)); // at most 12 digits: no overflow, even times 1 GiB
    String unit = m.group(2) == null ? "" : m.group(2).substring(0, 1).toLowerCase(Locale.ROOT);
    long bytes = switch (unit) {
      case "k" -> number << 10;
      case "m" -> number << 20;
      case "g" -> number << 30;
      default -> number;
    };
    if (bytes < min || bytes > max) {
      throw new CommandException(ExitCodes.BAD_INPUT,
          option + " " + text + " is not in " + plainSize(min) + ".." + plainSize(max));
    }
    return bytes;
  }

  /** 16 MiB as "16M", 1 GiB as "1G": the largest unit that divides it. */
  static String plainSize(long bytes) {
    String[] units = {"G", "M", "K"};
    int[] shifts = {30, 20, 10};
    for (int i = 0; i < units.length; i++) {
      if (bytes > 0 && bytes % (1L << shifts[i]) == 0) {
        return (bytes >> shifts[i]) + units[i];
      }
    }
    return String.valueOf(bytes);
  }

  /** 0.5 as "0.5" and 120.0 as "120", as a person would have typed them. */
  private static String plain(double value) {
    return Double.isFinite(value)
        ? java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString()
        : String.valueOf(value);
  }
}
