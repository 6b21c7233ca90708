package dev.piecemeal.bencode;

/**
 * One bencoded value: BEP 3 has exactly four kinds, and this sealed family has one type for each.
 *
 * <pre>
 * i42e            → BencodeInteger(42)
 * 4:spam          → BencodeString("spam")       (raw bytes, not text)
 * l4:spami42ee    → BencodeList[spam, 42]
 * d3:cow3:mooe    → BencodeDictionary{cow: moo}
 * </pre>
 *
 * <p>Java 17 has no pattern {@code switch} over types, so code that must handle every kind uses
 * one {@code instanceof} chain, in one place.
 */
public sealed interface BencodeValue
    permits BencodeInteger, BencodeString, BencodeList, BencodeDictionary {

  /** A short name of this value's kind for error messages: "integer", "string", "list", "dictionary". */
  String kind();
}
