package dev.piecemeal.bencode;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks that a hybrid torrent's two descriptions of its files agree. A hybrid (BEP 52, "upgrade
 * path") carries both a v1 {@code files} list and a v2 {@code file tree}; v1 peers see the first,
 * v2 peers the second, and they must be the same files or the swarm splits over different data.
 *
 * <pre>
 * file tree:  d 7:chapter d 1:a d 0: d 6:length i512e 11:pieces root 32:… e e e e
 *             → chapter/a, 512 bytes      (a leaf is a dictionary under the empty key "")
 * files:      [ {path: [chapter, a], length: 512}, {attr: p, path: [.pad, 15872], length: 15872} ]
 * </pre>
 *
 * <p>BEP 52 also requires every v1 file to start on a piece boundary (pad files fill the gaps), so
 * that a piece never spans two files, as v2 pieces never do.
 *
 * <p>Simplified: this is all we read of v2. The v2 piece hashes (a Merkle tree per file, {@code
 * pieces root} and {@code piece layers}) are not checked; Piecemeal downloads hybrids as v1, with
 * SHA-1 piece hashes, which the v1 part fully describes.
 */
final class HybridFileTree {
  private HybridFileTree() {}

  private record Leaf(List<String> path, long length) {}

  /** Throws unless {@code info}'s file tree lists the same files, in order, as {@code files}. */
  static void check(Fields info, List<TorrentFile> files, boolean singleFile, int pieceLength)
      throws MetainfoException {
    List<Leaf> leaves = new ArrayList<>();
    walk(info.requireDictionary("file tree"), List.of(), leaves);

    List<Leaf> v1 = new ArrayList<>();
    for (TorrentFile file : files) {
      if (file.isPadding()) {
        continue;
      }
      if (file.length() > 0 && file.offset() % pieceLength != 0) {
        throw new MetainfoException(info.field("files"), "\"" + file.relativePath()
            + "\" starts at byte " + file.offset() + ", not on a piece boundary, in a hybrid torrent");
      }
      // v1 paths start with the torrent's name (the folder); v2 paths start inside it.
      List<String> path = singleFile ? file.path() : file.path().subList(1, file.path().size());
      v1.add(new Leaf(path, file.length()));
    }
    if (!leaves.equals(v1)) {
      throw info.error("file tree", "does not match the v1 file list: "
          + describe(leaves) + " versus " + describe(v1));
    }
  }

  /** Depth-first, in key order, as BEP 52 orders files. Depth is bounded by the decoder's limit. */
  private static void walk(Fields folder, List<String> path, List<Leaf> leaves) throws MetainfoException {
    for (BencodeDictionary.Entry entry : folder.dictionaryEntries()) {
      String name = FileList.text(entry.key());
      String field = folder.field(SafePath.printable(name));
      if (!(entry.value() instanceof BencodeDictionary node)) {
        throw Fields.error(field, entry.valueSpan(), "must be a dictionary, found " + entry.value().kind());
      }
      List<String> childPath = new ArrayList<>(path);
      childPath.add(name);
      Fields child = new Fields(node, field, entry.valueSpan());
      if (child.has("")) {
        Fields leaf = child.requireDictionary("");
        String attributes = leaf.optionalString("attr").map(BencodeString::utf8Lenient).orElse("");
        boolean symlink = attributes.contains("l");
        leaves.add(new Leaf(childPath, symlink ? 0 : leaf.requireInteger("length")));
      } else {
        walk(child, childPath, leaves);
      }
    }
  }

  private static String describe(List<Leaf> leaves) {
    List<String> shown = new ArrayList<>();
    for (Leaf leaf : leaves.subList(0, Math.min(3, leaves.size()))) {
      shown.add(SafePath.printable(String.join("/", leaf.path())) + " (" + leaf.length() + " bytes)");
    }
    return leaves.size() + " file(s) " + shown + (leaves.size() > 3 ? "…" : "");
  }
}
