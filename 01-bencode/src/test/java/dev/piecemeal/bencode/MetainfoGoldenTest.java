package dev.piecemeal.bencode;

import dev.piecemeal.testing.Corpus;
import dev.piecemeal.testing.GoldenFiles;
import dev.piecemeal.testing.ProjectRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real torrents rendered as readable text (a hex dump of the first bytes, the decoded tree with each
 * value's span, what {@link Metainfo} makes of it) and compared with golden files in
 * {@code src/test/resources/golden/}. Rewrite them with {@code -Dgolden.update=true}.
 */
class MetainfoGoldenTest {
  private static final Path GOLDEN = Paths.get("src/test/resources/golden");

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"samples/piecemeal-sample.torrent", "corpus/sample.torrent", "corpus/unordered.torrent"})
  void rendersAsTheGoldenFileSays(String which) throws Exception {
    Path file = which.startsWith("corpus/")
        ? Corpus.resolve("torrents/" + which.substring("corpus/".length()))
        : ProjectRoot.resolve(which);
    byte[] bytes = Files.readAllBytes(file);
    Metainfo metainfo = Metainfo.fromBytes(bytes);

    StringBuilder out = new StringBuilder();
    out.append("# ").append(which).append(": rendered by MetainfoGoldenTest (-Dgolden.update=true rewrites it)\n\n");
    out.append("first 128 of ").append(bytes.length).append(" bytes:\n");
    out.append(GoldenFiles.hexDump(bytes, 128)).append('\n');
    out.append("decoded (each dictionary value with its span [start, end) in the file):\n");
    tree(BencodeDecoder.decodeTorrent(bytes), "", out);
    out.append('\n');
    out.append("info hash:    ").append(metainfo.infoHash().hex()).append('\n');
    out.append("info bytes:   [").append(indexOf(bytes, metainfo.infoBytes())).append(", ")
        .append(indexOf(bytes, metainfo.infoBytes()) + metainfo.infoBytes().length).append(")\n");
    out.append("name:         ").append(metainfo.name()).append('\n');
    out.append("total length: ").append(metainfo.totalLength()).append('\n');
    out.append("pieces:       ").append(metainfo.pieceCount()).append(" of ").append(metainfo.pieceLength())
        .append(", the last ").append(metainfo.pieceSize(metainfo.pieceCount() - 1)).append('\n');
    out.append("trackers:     ").append(metainfo.trackerTiers()).append('\n');
    for (TorrentFile f : metainfo.files()) {
      out.append(String.format("file:         %-45s %8d bytes at %8d  %s%n",
          f.relativePath(), f.length(), f.offset(), f.kind()));
    }
    GoldenFiles.check(GOLDEN.resolve(Paths.get(which).getFileName() + ".expected.txt"), out.toString());
  }

  private static void tree(BencodeValue value, String indent, StringBuilder out) {
    if (value instanceof BencodeDictionary dictionary) {
      out.append("d\n");
      for (BencodeDictionary.Entry entry : dictionary.entries()) {
        out.append(indent).append("  ").append(entry.key()).append(' ')
            .append(entry.valueSpan().map(s -> "[" + s.start() + ", " + s.end() + ")").orElse("")).append(": ");
        tree(entry.value(), indent + "  ", out);
      }
      out.append(indent).append("e\n");
    } else if (value instanceof BencodeList list) {
      out.append("l\n");
      for (BencodeValue item : list.values()) {
        out.append(indent).append("  ");
        tree(item, indent + "  ", out);
      }
      out.append(indent).append("e\n");
    } else if (value instanceof BencodeString string && string.length() > 64) {
      out.append("<").append(string.length()).append(" bytes>\n");
    } else {
      out.append(value instanceof BencodeInteger i ? Long.toString(i.value()) : value.toString()).append('\n');
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
