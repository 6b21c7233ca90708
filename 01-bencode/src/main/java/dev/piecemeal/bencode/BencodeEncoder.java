package dev.piecemeal.bencode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Writes bencode in BEP 3's canonical form: integers without leading zeros, dictionary keys
 * sorted by their raw bytes (compared unsigned) whatever order the dictionary holds them in. Two
 * encoders that follow BEP 3 write the same value as the same bytes, which is what lets a hash of
 * the bytes stand for the value.
 *
 * <pre>
 * {spam: eggs, cow: moo}  →  d 3:cow 3:moo 4:spam 4:eggs e  →  d3:cow3:moo4:spam4:eggse
 * </pre>
 *
 * <p>Never re-encode a decoded {@code info} dictionary to compute an info-hash: a file whose keys
 * are unsorted would get a different hash from everybody else's. Hash the bytes in the file (see
 * {@link Metainfo#infoHash()}).
 */
public final class BencodeEncoder {
  private BencodeEncoder() {}

  /**
   * The canonical bencoding of {@code value}.
   *
   * @throws IllegalArgumentException if a dictionary holds the same key twice, which no canonical
   *     encoding can express
   */
  public static byte[] encode(BencodeValue value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(value, out);
    return out.toByteArray();
  }

  private static void write(BencodeValue value, ByteArrayOutputStream out) {
    if (value instanceof BencodeInteger integer) {
      ascii(out, "i" + integer.value() + "e");
    } else if (value instanceof BencodeString string) {
      writeString(string, out);
    } else if (value instanceof BencodeList list) {
      out.write('l');
      for (BencodeValue item : list.values()) {
        write(item, out);
      }
      out.write('e');
    } else if (value instanceof BencodeDictionary dictionary) {
      writeDictionary(dictionary, out);
    } else {
      throw new IllegalStateException("unknown bencode value " + value);
    }
  }

  private static void writeString(BencodeString string, ByteArrayOutputStream out) {
    ascii(out, string.length() + ":");
    out.writeBytes(string.bytes());
  }

  private static void writeDictionary(BencodeDictionary dictionary, ByteArrayOutputStream out) {
    List<BencodeDictionary.Entry> sorted = new ArrayList<>(dictionary.entries());
    sorted.sort(Comparator.comparing(BencodeDictionary.Entry::key));
    out.write('d');
    for (int i = 0; i < sorted.size(); i++) {
      BencodeDictionary.Entry entry = sorted.get(i);
      if (i > 0 && entry.key().equals(sorted.get(i - 1).key())) {
        throw new IllegalArgumentException("duplicate dictionary key " + entry.key());
      }
      writeString(entry.key(), out);
      write(entry.value(), out);
    }
    out.write('e');
  }

  private static void ascii(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
  }
}
