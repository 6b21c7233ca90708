package dev.piecemeal.client.dht;

import dev.piecemeal.bencode.BencodeDecoder;
import dev.piecemeal.bencode.BencodeDictionary;
import dev.piecemeal.bencode.BencodeEncoder;
import dev.piecemeal.bencode.BencodeException;
import dev.piecemeal.bencode.BencodeString;
import dev.piecemeal.bencode.BencodeValue;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a DHT node keeps between runs: its id, so that its neighbours still find it where they
 * left it, and the nodes of its routing table, so that it need not start from a bootstrap node.
 * A small bencoded dictionary; the caller decides where the file lives.
 *
 * <pre>
 * d
 *   2:id    20:&lt;our node id&gt;
 *   5:nodes 52:&lt;two compact node infos, 26 bytes each&gt;
 * e
 * </pre>
 *
 * <p>Saved nodes have not answered in this run: they are not put back in the table (which holds
 * only nodes that answered), but start the first lookup, for our own id, whose answers refill it.
 *
 * @param ownId our node id
 * @param nodes at most {@value #MAX_NODES}
 */
public record SavedTable(NodeId ownId, List<NodeInfo> nodes) {
  /** Every place of a full table: {@value RoutingTable#MAX_BUCKETS} buckets of {@value RoutingTable#K}. */
  public static final int MAX_NODES = RoutingTable.MAX_BUCKETS * RoutingTable.K;
  /** The longest file read: the id, the nodes, and room for the keys. */
  public static final int MAX_BYTES = MAX_NODES * CompactInfo.NODE_LENGTH + 100;

  public SavedTable {
    Objects.requireNonNull(ownId, "ownId");
    if (nodes.size() > MAX_NODES) {
      throw new IllegalArgumentException(nodes.size() + " nodes, more than " + MAX_NODES);
    }
    nodes = List.copyOf(nodes);
  }

  /** The bytes to write to the file. */
  public byte[] encode() {
    return BencodeEncoder.encode(BencodeDictionary.builder()
        .put("id", ownId.bytes())
        .put("nodes", CompactInfo.nodeBytes(nodes))
        .build());
  }

  /**
   * Reads what {@link #encode} wrote.
   *
   * @throws BencodeException when the bytes are not a saved table, saying what is wrong and where
   */
  public static SavedTable decode(byte[] bytes) throws BencodeException {
    if (bytes.length > MAX_BYTES) {
      throw new BencodeException(
          "a saved table of " + bytes.length + " bytes is longer than the limit of " + MAX_BYTES);
    }
    if (!(BencodeDecoder.decode(bytes) instanceof BencodeDictionary saved)) {
      throw new BencodeException("a saved table must be a dictionary", 0);
    }
    NodeId ownId = NodeId.fromBytes(string(saved, "id", NodeId.LENGTH).bytes());
    BencodeString nodes = string(saved, "nodes", -1);
    if (nodes.length() % CompactInfo.NODE_LENGTH != 0) {
      throw new BencodeException("nodes: " + nodes.length() + " bytes, not a whole number of "
          + CompactInfo.NODE_LENGTH + "-byte nodes", offset(saved, "nodes"));
    }
    return new SavedTable(ownId, CompactInfo.nodes(nodes.bytes(), MAX_NODES));
  }

  /** The string {@code key}, of exactly {@code length} bytes unless that is -1. */
  private static BencodeString string(BencodeDictionary saved, String key, int length)
      throws BencodeException {
    Optional<BencodeValue> value = saved.get(key);
    if (value.isEmpty()) {
      throw new BencodeException(key + ": missing");
    }
    if (!(value.get() instanceof BencodeString string)) {
      throw new BencodeException(
          key + ": must be a string, found " + value.get().kind(), offset(saved, key));
    }
    if (length >= 0 && string.length() != length) {
      throw new BencodeException(
          key + ": " + string.length() + " bytes, not " + length, offset(saved, key));
    }
    return string;
  }

  private static long offset(BencodeDictionary saved, String key) {
    return saved.entry(key).flatMap(BencodeDictionary.Entry::valueSpan).map(s -> s.start()).orElse(0);
  }
}
