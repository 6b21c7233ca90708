package dev.piecemeal.bencode;

import java.util.Optional;

/**
 * A decoded dictionary read as the fields of a record, where every error names the field the way
 * a reader would find it ({@code info.files[2].length}) and the byte offset of its value.
 *
 * <pre>
 * Fields info = root.requireDictionary("info");      // "info: missing" if absent
 * long pieceLength = info.requireInteger("piece length");
 * // "info.piece length: must be an integer, found string at offset 57"
 * </pre>
 */
final class Fields {
  private final BencodeDictionary dictionary;
  private final String name;
  private final Optional<ByteSpan> span;

  /**
   * {@code name} is how errors call this dictionary ("" for the top level, "info.files[2]");
   * {@code span} is where it sat in the file, when known, so that even a missing key has an offset.
   */
  Fields(BencodeDictionary dictionary, String name, Optional<ByteSpan> span) {
    this.dictionary = dictionary;
    this.name = name;
    this.span = span;
  }

  String name() {
    return name;
  }

  /** The full name of a field of this dictionary: {@code info.piece length}. */
  String field(String key) {
    return name.isEmpty() ? key : name + "." + key;
  }

  /** The entries, in input order (for a dictionary whose keys are names, like a file tree). */
  java.util.List<BencodeDictionary.Entry> dictionaryEntries() {
    return dictionary.entries();
  }

  boolean has(String key) {
    return dictionary.containsKey(key);
  }

  /** The value of {@code key}, if present. */
  Optional<BencodeValue> get(String key) {
    return dictionary.get(key);
  }

  /** The entry of {@code key}, if present. */
  Optional<BencodeDictionary.Entry> entry(String key) {
    return dictionary.entry(key);
  }

  long requireInteger(String key) throws MetainfoException {
    return as(BencodeInteger.class, require(key), key).value();
  }

  Optional<Long> optionalInteger(String key) throws MetainfoException {
    Optional<BencodeDictionary.Entry> entry = entry(key);
    return entry.isEmpty()
        ? Optional.empty()
        : Optional.of(as(BencodeInteger.class, entry.get(), key).value());
  }

  BencodeString requireString(String key) throws MetainfoException {
    return as(BencodeString.class, require(key), key);
  }

  Optional<BencodeString> optionalString(String key) throws MetainfoException {
    Optional<BencodeDictionary.Entry> entry = entry(key);
    return entry.isEmpty() ? Optional.empty() : Optional.of(as(BencodeString.class, entry.get(), key));
  }

  BencodeList requireList(String key) throws MetainfoException {
    return as(BencodeList.class, require(key), key);
  }

  Fields requireDictionary(String key) throws MetainfoException {
    BencodeDictionary.Entry entry = require(key);
    return new Fields(as(BencodeDictionary.class, entry, key), field(key), entry.valueSpan());
  }

  /** An error about {@code key}'s value, at its offset when the value was decoded from bytes. */
  MetainfoException error(String key, String problem) {
    return error(field(key), entry(key).flatMap(BencodeDictionary.Entry::valueSpan), problem);
  }

  /** An error about this dictionary as a whole, at its offset when known. */
  MetainfoException error(String problem) {
    return error(name, span, problem);
  }

  static MetainfoException error(String field, Optional<ByteSpan> span, String problem) {
    return span.isPresent()
        ? new MetainfoException(field, problem, span.get().start())
        : new MetainfoException(field, problem);
  }

  private BencodeDictionary.Entry require(String key) throws MetainfoException {
    Optional<BencodeDictionary.Entry> entry = entry(key);
    if (entry.isEmpty()) {
      // "info.name: missing in the dictionary at offset 50": the offset is where info starts.
      throw error(field(key), span, span.isPresent() ? "missing in the dictionary" : "missing");
    }
    return entry.get();
  }

  private <T extends BencodeValue> T as(Class<T> type, BencodeDictionary.Entry entry, String key)
      throws MetainfoException {
    if (type.isInstance(entry.value())) {
      return type.cast(entry.value());
    }
    throw error(key, "must be " + article(type) + ", found " + entry.value().kind());
  }

  private static String article(Class<? extends BencodeValue> type) {
    if (type == BencodeInteger.class) {
      return "an integer";
    }
    if (type == BencodeString.class) {
      return "a string";
    }
    return type == BencodeList.class ? "a list" : "a dictionary";
  }
}
