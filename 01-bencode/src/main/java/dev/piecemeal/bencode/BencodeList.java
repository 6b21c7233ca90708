package dev.piecemeal.bencode;

import java.util.List;

/** A bencoded list, {@code l<values>e}: values of any kind, in order. */
public record BencodeList(List<BencodeValue> values) implements BencodeValue {

  public BencodeList {
    values = List.copyOf(values);
  }

  @Override
  public String kind() {
    return "list";
  }
}
