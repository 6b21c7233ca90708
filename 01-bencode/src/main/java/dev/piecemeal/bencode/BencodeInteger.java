package dev.piecemeal.bencode;

/**
 * A bencoded integer, {@code i<decimal>e}. BEP 3 sets no bound; we keep a signed 64-bit value,
 * and the decoder refuses anything that does not fit rather than wrap it.
 */
public record BencodeInteger(long value) implements BencodeValue {

  @Override
  public String kind() {
    return "integer";
  }
}
