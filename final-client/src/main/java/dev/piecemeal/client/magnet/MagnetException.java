package dev.piecemeal.client.magnet;

import java.util.Optional;

/**
 * A magnet link that cannot be used: not a magnet link at all, no info-hash in it, a hash of the
 * wrong length or with a wrong character, a bad percent escape, more than we accept of something.
 * The message says what is wrong, then where: the parameter, then the offset in the link,
 * counted in characters from 0 (the {@code m} of {@code magnet:}), as chapter 1 counts bytes:
 *
 * <pre>
 * magnet link: xt: info-hash "abc" is 3 characters, not 40 (hex) or 32 (base32) at offset 11
 * magnet link: dn: "%zz" is not a percent escape (a % and two hex digits) at offset 62
 * </pre>
 *
 * <p>The offset is where the parameter's value begins; for a bad percent escape, where its
 * {@code %} is. A problem of the link as a whole (no info-hash at all) has no offset.
 */
public class MagnetException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String parameter;
  private final String problem;
  private final int offset;

  /**
   * A problem with one parameter of the link, or with the whole link when {@code parameter} is
   * null; {@code offset} is -1 when there is no one place to point at.
   */
  public MagnetException(String parameter, String problem, int offset) {
    super("magnet link: " + (parameter == null ? "" : parameter + ": ") + problem
        + (offset < 0 ? "" : " at offset " + offset));
    this.parameter = parameter;
    this.problem = problem;
    this.offset = offset;
  }

  /** The parameter at fault ({@code xt}, {@code tr}, …), lower case; empty for the whole link. */
  public Optional<String> parameter() {
    return Optional.ofNullable(parameter);
  }

  /** What is wrong, without the parameter and the offset. */
  public String problem() {
    return problem;
  }

  /** Where in the link, in characters from 0; -1 when the problem has no one place. */
  public int offset() {
    return offset;
  }
}
