package dev.piecemeal.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OptionChecksTest {

  @ParameterizedTest
  @CsvSource({
      "201326592, 201326592",
      "512K,      524288",
      "64M,       67108864",
      "64mib,     67108864",
      "1G,        1073741824",
      "1GiB,      1073741824",
      "' 2g ',    2147483648",
  })
  void readsASizeAsAPersonTypesIt(String text, long bytes) throws Exception {
    assertThat(OptionChecks.size("--size", text, 1, 1L << 40)).isEqualTo(bytes);
  }

  @ParameterizedTest
  @CsvSource({
      "16777216,   16M",
      "68719476736, 64G",
      "1536,       1536",
      "1048577,    1048577",
  })
  void writesASizeInTheLargestUnitThatDividesIt(long bytes, String text) {
    assertThat(OptionChecks.plainSize(bytes)).isEqualTo(text);
  }

  @ParameterizedTest
  @CsvSource({
      "1K,   error: --memory-cap 1K is not in 16M..64G",
      "64T,  error: --memory-cap 64T is not a size (like 16M or 64G)",
      "-1M,  error: --memory-cap -1M is not a size (like 16M or 64G)",
  })
  void refusesASizeOutOfRangeOrNotASize(String text, String message) {
    assertThatThrownBy(() -> OptionChecks.size("--memory-cap", text, 16L << 20, 64L << 30))
        .isInstanceOf(CommandException.class)
        .hasMessage(message.substring("error: ".length()));
  }
}
