package dev.piecemeal.client.cli;

import dev.piecemeal.bencode.BencodeDictionary;
import dev.piecemeal.bencode.BencodeInteger;
import dev.piecemeal.bencode.BencodeList;
import dev.piecemeal.bencode.BencodeString;
import dev.piecemeal.bencode.BencodeValue;
import java.nio.charset.CharacterCodingException;
import java.util.HexFormat;
import java.util.List;

/**
 * A bencoded value (chapter 1) as one short line a person can read in a trace, keys in the order
 * sent. Text strings are quoted; other strings show their length and, when short, their bytes in
 * hex; the line stops at {@link #MAX_LENGTH} characters with {@code …}, however large the value.
 *
 * <pre>
 * d1:md11:ut_metadatai3ee1:v17:Transmission 3.006:yourip4:[7f 00 00 01]e     (the 4 bytes in hex)
 * {m: {ut_metadata: 3}, v: "Transmission 3.00", yourip: &lt;4 bytes 7f000001&gt;}
 * </pre>
 *
 * <p>What {@code --trace} shows of a BEP 10 extension handshake, whose dictionary comes from a
 * stranger: a control character is never printed, and a huge payload is not walked past the cut.
 */
final class BencodeOneLine {

  /** The longest line, in characters, before {@code " …"}. */
  static final int MAX_LENGTH = 300;

  private BencodeOneLine() {}

  /** The value in one line, cut at {@link #MAX_LENGTH} characters. */
  static String of(BencodeValue value) {
    StringBuilder text = new StringBuilder();
    append(text, value);
    return text.length() <= MAX_LENGTH ? text.toString() : text.substring(0, MAX_LENGTH) + " …";
  }

  private static void append(StringBuilder text, BencodeValue value) {
    if (text.length() > MAX_LENGTH) {
      return; // the rest will be cut anyway: stop walking a large payload
    }
    if (value instanceof BencodeInteger integer) {
      text.append(integer.value());
    } else if (value instanceof BencodeString string) {
      text.append(stringText(string));
    } else if (value instanceof BencodeList list) {
      text.append('[');
      for (int i = 0; i < list.values().size() && text.length() <= MAX_LENGTH; i++) {
        text.append(i == 0 ? "" : ", ");
        append(text, list.values().get(i));
      }
      text.append(']');
    } else if (value instanceof BencodeDictionary dictionary) {
      text.append('{');
      List<BencodeDictionary.Entry> entries = dictionary.entries();
      for (int i = 0; i < entries.size() && text.length() <= MAX_LENGTH; i++) {
        text.append(i == 0 ? "" : ", ").append(keyText(entries.get(i).key())).append(": ");
        append(text, entries.get(i).value());
      }
      text.append('}');
    }
  }

  private static String keyText(BencodeString key) {
    String text = printableText(key);
    return text != null ? text : stringText(key);
  }

  private static String stringText(BencodeString string) {
    String text = printableText(string);
    if (text != null) {
      return "\"" + text + "\"";
    }
    return "<" + string.length() + (string.length() == 1 ? " byte" : " bytes")
        + (string.length() <= 16 ? " " + HexFormat.of().formatHex(string.bytes()) : "") + ">";
  }

  /** The string as text if it is short, valid UTF-8 and has no control character; else null. */
  private static String printableText(BencodeString string) {
    if (string.length() > 64) {
      return null;
    }
    try {
      String text = string.utf8();
      return text.chars().anyMatch(c -> c < 0x20 || c == 0x7f) ? null : text;
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
