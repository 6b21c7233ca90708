package dev.piecemeal.bencode;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A bencoded dictionary, {@code d<key><value>...e}: byte-string keys, values of any kind.
 *
 * <p>The entries stay in the order they had in the input, and each decoded entry remembers the
 * {@link ByteSpan} of its value, so that the info-hash can be taken over the exact bytes of the
 * {@code info} value. The encoder sorts keys when it writes (BEP 3's canonical form), whatever
 * the order here.
 *
 * <p>Why not a {@code java.util.Map}: a map forgets the input order and the spans, and its keys
 * would be text where BEP 3's keys are raw bytes.
 */
public record BencodeDictionary(List<Entry> entries) implements BencodeValue {

  /**
   * One key and its value; {@code span} is where the value sat in the decoded input, or null for a
   * dictionary built in code.
   */
  public record Entry(BencodeString key, BencodeValue value, ByteSpan span) {
    public Entry {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }

    /** Where the value sat in the decoded input; empty for a dictionary built in code. */
    public Optional<ByteSpan> valueSpan() {
      return Optional.ofNullable(span);
    }
  }

  public BencodeDictionary {
    entries = List.copyOf(entries);
  }

  /** The value of the first entry whose key is the UTF-8 bytes of {@code key}. */
  public Optional<BencodeValue> get(String key) {
    return entry(key).map(Entry::value);
  }

  /** The first entry whose key is the UTF-8 bytes of {@code key}. */
  public Optional<Entry> entry(String key) {
    for (Entry e : entries) {
      if (e.key().equalsUtf8(key)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /** True when some entry has this key. */
  public boolean containsKey(String key) {
    return entry(key).isPresent();
  }

  /** The number of entries. */
  public int size() {
    return entries.size();
  }

  @Override
  public String kind() {
    return "dictionary";
  }

  /** A dictionary built in code, in the order of the {@code put} calls. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a dictionary in code (tests, the encoder's callers). */
  public static final class Builder {
    private final List<Entry> entries = new ArrayList<>();

    private Builder() {}

    public Builder put(String key, BencodeValue value) {
      entries.add(new Entry(BencodeString.fromUtf8(key), value, null));
      return this;
    }

    public Builder put(String key, long value) {
      return put(key, new BencodeInteger(value));
    }

    public Builder put(String key, String utf8) {
      return put(key, BencodeString.fromUtf8(utf8));
    }

    public Builder put(String key, byte[] bytes) {
      return put(key, BencodeString.fromBytes(bytes));
    }

    public BencodeDictionary build() {
      return new BencodeDictionary(entries);
    }
  }
}
