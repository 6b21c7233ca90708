package dev.piecemeal.bencode;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads bencode (BEP 3, "bencoding") from bytes that nobody vouches for: a .torrent file from the
 * web, a tracker's reply. One method per production of the grammar:
 *
 * <pre>
 * value      = integer | byteString | list | dictionary
 * integer    = "i" ( "0" | ["-"] digit1-9 *digit ) "e"          i42e  i-7e  i0e
 * byteString = ( "0" | digit1-9 *digit ) ":" length*byte         4:spam  0:
 * list       = "l" *value "e"                                    l4:spami42ee
 * dictionary = "d" *( byteString value ) "e"                     d3:cow3:mooe
 * </pre>
 *
 * <p>Worked example, the bytes of {@code d3:cow3:mooe} by offset:
 *
 * <pre>
 * 0    d                dictionary starts
 * 1    3 : c o w        key "cow"     (length 3, colon, 3 bytes)
 * 6    3 : m o o        value "moo"   span [6, 11)
 * 11   e                dictionary ends; nothing may follow
 * </pre>
 *
 * <p>{@link #decode} is strict where BEP 3 is strict: no leading zeros, no {@code -0}, keys sorted
 * by raw bytes and unique, nothing after the value. Every error is a {@link BencodeException} that
 * says what is wrong and at which byte offset. Every dictionary entry remembers the {@link ByteSpan}
 * of its value, which is how the info-hash is taken over the file's own bytes.
 */
public final class BencodeDecoder {

  /**
   * How deep lists and dictionaries may nest. Real metainfo nests 4 or 5 levels (a v2 file tree a
   * few more per directory); 100 is libtorrent's limit, so we accept what it accepts. The decoder
   * recurses once per level, and without a limit {@code llll…} of a megabyte would end in a
   * StackOverflowError, an unchecked crash, instead of a clear error.
   */
  public static final int MAX_DEPTH = 100;

  /**
   * How many values one input may hold, every dictionary key counted as one. The byte limits
   * alone do not bound the memory a decoded value costs: a value takes 2 to 4 bytes of input and
   * 20 to 60 bytes of heap (measured: 28 for each {@code i0e} of {@code li0ei0e…e}, 58 for each
   * half of a dictionary entry {@code 0:0:}), so a 10 MB .torrent of tiny entries would cost about
   * 290 MB. A real torrent holds a few values per file (a dictionary, {@code length} and its
   * integer, {@code path} and its list, one string per path element): the largest in the test
   * corpus ({@code samples/corpus}) holds 1,825, and a torrent of 100,000 files about 700,000.
   * libtorrent allows 3,000,000 tokens; one million keeps the worst case near 60 MB. Checked as
   * each value begins, so the error points at the first value too many.
   */
  public static final int MAX_VALUES = 1_000_000;

  private final byte[] input;
  private final int end;
  private final boolean torrentLeniency;
  private final int maxValues;
  private int position;
  private int depth;
  private int values;

  private BencodeDecoder(byte[] input, int start, int end, boolean torrentLeniency, int maxValues) {
    this.input = input;
    this.position = start;
    this.end = end;
    this.torrentLeniency = torrentLeniency;
    this.maxValues = maxValues;
  }

  /**
   * Decodes exactly one value that fills the whole input, by BEP 3's rules to the letter.
   *
   * @throws BencodeException if the input is not one valid, canonical bencoded value
   */
  public static BencodeValue decode(byte[] input) throws BencodeException {
    BencodeDecoder decoder = new BencodeDecoder(input, 0, input.length, false, MAX_VALUES);
    BencodeValue value = decoder.value();
    decoder.requireEnd();
    return value;
  }

  /**
   * Decodes a .torrent file the way real clients do: as {@link #decode}, except that dictionary
   * keys may be out of order or repeated (the first one counts) and bytes after the top-level
   * value are ignored. Every other rule (leading zeros, {@code -0}, lengths, depth) still holds.
   *
   * <p>Design: libtorrent accepts exactly these two faults in v1 torrents, and real files have them (a tool that wrote keys unsorted, a trailing newline from an editor). The
   * info-hash does not care, because it is taken over the raw bytes of {@code info}, never over a
   * re-encoding. {@link Metainfo} applies the strict rules again to torrents that carry BEP 52's
   * {@code meta version}, as libtorrent does.
   *
   * @throws BencodeException if the input does not start with a valid bencoded value
   */
  public static BencodeValue decodeTorrent(byte[] input) throws BencodeException {
    return new BencodeDecoder(input, 0, input.length, true, MAX_VALUES).value();
  }

  /**
   * Decodes the value in {@code span} of {@code input} strictly; offsets in errors count from the
   * start of {@code input}, so they point into the file the user has.
   */
  static BencodeValue decodeStrict(byte[] input, ByteSpan span) throws BencodeException {
    BencodeDecoder decoder = new BencodeDecoder(input, span.start(), span.end(), false, MAX_VALUES);
    BencodeValue value = decoder.value();
    decoder.requireEnd();
    return value;
  }

  /**
   * Reads a whole stream, at most {@code maxBytes}, then {@linkplain #decode decodes} it strictly,
   * at most {@value #MAX_VALUES} values. A stream cut short gives an error that says how far the
   * value got.
   *
   * @throws BencodeException if the stream holds more than {@code maxBytes} bytes or is not one
   *     valid bencoded value
   */
  public static BencodeValue decode(InputStream in, int maxBytes)
      throws IOException, BencodeException {
    return decode(in, maxBytes, MAX_VALUES);
  }

  /**
   * As {@link #decode(InputStream, int)}, with at most {@code maxValues} values (dictionary keys
   * count): for a reply whose shape is known to be small, a tighter bound than the default.
   *
   * @throws BencodeException if the stream holds more than {@code maxBytes} bytes, more than
   *     {@code maxValues} values, or is not one valid bencoded value
   */
  public static BencodeValue decode(InputStream in, int maxBytes, int maxValues)
      throws IOException, BencodeException {
    if (maxBytes < 0 || maxBytes == Integer.MAX_VALUE) {
      throw new IllegalArgumentException("maxBytes must be 0 .. " + (Integer.MAX_VALUE - 1));
    }
    if (maxValues < 1) {
      throw new IllegalArgumentException("maxValues must be at least 1, not " + maxValues);
    }
    // readNBytes loops until it has maxBytes + 1 or the stream ends, whatever each read returns.
    byte[] bytes = in.readNBytes(maxBytes + 1);
    if (bytes.length > maxBytes) {
      throw new BencodeException("input is longer than the limit of " + maxBytes + " bytes", maxBytes);
    }
    BencodeDecoder decoder = new BencodeDecoder(bytes, 0, bytes.length, false, maxValues);
    BencodeValue value = decoder.value();
    decoder.requireEnd();
    return value;
  }

  // value = integer | byteString | list | dictionary
  private BencodeValue value() throws BencodeException {
    require(1, "where a value was expected");
    count();
    byte first = input[position];
    if (first == 'i') {
      return integer();
    }
    if (first >= '0' && first <= '9') {
      return byteString();
    }
    if (first == 'l') {
      return list();
    }
    if (first == 'd') {
      return dictionary();
    }
    throw new BencodeException(describe(first) + " where a value was expected", position);
  }

  // integer = "i" ( "0" | ["-"] digit1-9 *digit ) "e"
  private BencodeInteger integer() throws BencodeException {
    int start = position;
    position++; // 'i'
    require(1, "inside an integer");
    boolean negative = input[position] == '-';
    if (negative) {
      position++;
    }
    int firstDigit = position;
    // The value is built as a negative number, because -9223372036854775808 has no positive twin.
    long value = 0;
    while (true) {
      require(1, "inside an integer");
      byte b = input[position];
      if (b == 'e') {
        break;
      }
      if (b < '0' || b > '9') {
        String problem = b == '-' ? "minus sign inside an integer" : describe(b) + " inside an integer";
        throw new BencodeException(problem, position);
      }
      if (position > firstDigit && input[firstDigit] == '0') {
        throw new BencodeException("integer with a leading zero", firstDigit);
      }
      try {
        value = Math.subtractExact(Math.multiplyExact(value, 10), b - '0');
      } catch (ArithmeticException overflow) {
        throw new BencodeException("integer does not fit in 64 bits", start);
      }
      position++;
    }
    if (position == firstDigit) {
      throw new BencodeException("integer without digits", start);
    }
    if (negative && value == 0) {
      throw new BencodeException("negative zero is not allowed", start);
    }
    position++; // 'e'
    if (negative) {
      return new BencodeInteger(value);
    }
    if (value == Long.MIN_VALUE) {
      throw new BencodeException("integer does not fit in 64 bits", start);
    }
    return new BencodeInteger(-value);
  }

  // byteString = ( "0" | digit1-9 *digit ) ":" length*byte
  private BencodeString byteString() throws BencodeException {
    int start = position;
    long length = 0;
    while (true) {
      require(1, "inside a string length");
      byte b = input[position];
      if (b == ':') {
        break;
      }
      if (b < '0' || b > '9') {
        throw new BencodeException("expected ':' after a string length, found " + describe(b), position);
      }
      if (position > start && input[start] == '0') {
        throw new BencodeException("string length with a leading zero", start);
      }
      try {
        length = Math.addExact(Math.multiplyExact(length, 10), b - '0');
      } catch (ArithmeticException overflow) {
        throw new BencodeException("string length does not fit in 64 bits", start);
      }
      position++;
    }
    position++; // ':'
    // tag::byte-string[]
    // Check the declared length against what is left BEFORE allocating: a 30-byte file that
    // claims a 2 GiB string must cost nothing. (No addition, so no overflow either.)
    int remaining = end - position;
    if (length > remaining) {
      throw new BencodeException("string length " + length + " exceeds remaining input ("
          + remaining + (remaining == 1 ? " byte)" : " bytes)"), start);
    }
    byte[] bytes = Arrays.copyOfRange(input, position, position + (int) length);
    // end::byte-string[]
    position += (int) length;
    return BencodeString.wrap(bytes);
  }

  // list = "l" *value "e"
  private BencodeList list() throws BencodeException {
    enter();
    position++; // 'l'
    List<BencodeValue> values = new ArrayList<>();
    while (true) {
      require(1, "inside a list");
      if (input[position] == 'e') {
        break;
      }
      values.add(value());
    }
    position++; // 'e'
    depth--;
    return new BencodeList(values);
  }

  // dictionary = "d" *( byteString value ) "e"
  private BencodeDictionary dictionary() throws BencodeException {
    enter();
    position++; // 'd'
    List<BencodeDictionary.Entry> entries = new ArrayList<>();
    BencodeString previousKey = null;
    while (true) {
      require(1, "inside a dictionary");
      byte b = input[position];
      if (b == 'e') {
        break;
      }
      if (b < '0' || b > '9') {
        throw new BencodeException(
            "dictionary key must be a string, found " + describe(b), position);
      }
      int keyStart = position;
      count();
      BencodeString key = byteString();
      if (previousKey != null && !torrentLeniency) {
        int order = key.compareTo(previousKey);
        if (order == 0) {
          throw new BencodeException("duplicate dictionary key " + key, keyStart);
        }
        if (order < 0) {
          throw new BencodeException(
              "dictionary key " + key + " is out of order (after " + previousKey + ")", keyStart);
        }
      }
      previousKey = key;
      require(1, "where the value of key " + key + " was expected");
      if (input[position] == 'e') {
        throw new BencodeException("dictionary key " + key + " has no value", position);
      }
      int valueStart = position;
      BencodeValue value = value();
      entries.add(new BencodeDictionary.Entry(key, value, new ByteSpan(valueStart, position)));
    }
    position++; // 'e'
    depth--;
    return new BencodeDictionary(entries);
  }

  private void enter() throws BencodeException {
    depth++;
    if (depth > MAX_DEPTH) {
      throw new BencodeException("nesting deeper than " + MAX_DEPTH + " levels", position);
    }
  }

  /** Counts one more value, as it begins: the one check of {@link #MAX_VALUES}. */
  private void count() throws BencodeException {
    values++;
    if (values > maxValues) {
      throw new BencodeException("more than " + maxValues + " values", position);
    }
  }

  /** Throws unless {@code n} more bytes are left: the one check for short input. */
  private void require(int n, String where) throws BencodeException {
    if (end - position < n) {
      throw new BencodeException("unexpected end of input " + where, position);
    }
  }

  private void requireEnd() throws BencodeException {
    if (position != end) {
      throw new BencodeException(
          (end - position) + " trailing byte(s) after the value", position);
    }
  }

  /** A byte for an error message: {@code "x"} when printable, {@code byte 0x1f} otherwise. */
  private static String describe(byte b) {
    if (b > 0x20 && b < 0x7f && b != '"') {
      return "\"" + (char) b + "\"";
    }
    return String.format("byte 0x%02x", b & 0xff);
  }
}
