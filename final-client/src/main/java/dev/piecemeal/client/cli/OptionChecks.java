package dev.piecemeal.client.cli;

/**
 * The checks of a number option that picocli's type check cannot judge, with one message shape for
 * every command: {@code --timeout 0 is not in 1..3600 seconds}. A bad option is bad input (status 2).
 */
final class OptionChecks {

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

  /** 0.5 as "0.5" and 120.0 as "120", as a person would have typed them. */
  private static String plain(double value) {
    return Double.isFinite(value)
        ? java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString()
        : String.valueOf(value);
  }
}
