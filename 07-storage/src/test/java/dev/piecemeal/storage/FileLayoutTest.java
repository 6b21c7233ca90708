package dev.piecemeal.storage;

import static dev.piecemeal.storage.StorageTorrents.file;
import static dev.piecemeal.storage.StorageTorrents.pad;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.messages.BlockRequest;
import dev.piecemeal.storage.FileLayout.PieceRange;
import java.util.List;
import org.junit.jupiter.api.Test;

class FileLayoutTest {
  /** The picture in FileLayout's Javadoc: a (30), b (0), c (10), d (60), pieces of 40. */
  private final FileLayout layout = FileLayout.of(StorageTorrents.multiFile("t", 40,
      file("a", 30), file("b", 0), file("c", 10), file("d", 60)).metainfo());

  /** A segment as text, {@code name@fileOffset+length/rangeOffset}, so a table reads at a glance. */
  private static List<String> describe(List<FileLayout.Segment> segments) {
    return segments.stream()
        .map(s -> s.file().path().get(s.file().path().size() - 1) + "@" + s.fileOffset() + "+" + s.length()
            + "/" + s.rangeOffset())
        .toList();
  }

  @Test
  void cutsAPieceAtFileBoundariesAndSkipsEmptyFiles() {
    assertThat(describe(layout.pieceSegments(0))).containsExactly("a@0+30/0", "c@0+10/30");
    assertThat(describe(layout.pieceSegments(1))).containsExactly("d@0+40/0");
    assertThat(describe(layout.pieceSegments(2))).as("the last piece holds the rest").containsExactly("d@40+20/0");
  }

  @Test
  void findsTheFileOfAnyByteByBinarySearch() {
    assertThat(describe(layout.segments(29, 2))).containsExactly("a@29+1/0", "c@0+1/1");
    assertThat(describe(layout.segments(30, 1))).as("b holds no byte, so offset 30 is c's first")
        .containsExactly("c@0+1/0");
    assertThat(describe(layout.segments(99, 1))).containsExactly("d@59+1/0");
  }

  @Test
  void mapsABlockInsideItsPiece() {
    FileLayout big = FileLayout.of(StorageTorrents.multiFile("t", 32768,
        file("a", 20000), file("b", 30000)).metainfo());
    assertThat(describe(big.blockSegments(new BlockRequest(0, 16384, 16384))))
        .containsExactly("a@16384+3616/0", "b@0+12768/3616");
    assertThat(describe(big.blockSegments(new BlockRequest(1, 0, 16384)))).containsExactly("b@12768+16384/0");
  }

  @Test
  void marksPadFileSegments() {
    FileLayout padded = FileLayout.of(StorageTorrents.multiFile("t", 16, file("a", 10), pad(6), file("b", 16))
        .metainfo());
    assertThat(padded.pieceSegments(0)).extracting(FileLayout.Segment::isPadding).containsExactly(false, true);
    assertThat(padded.pieceSegments(1)).extracting(FileLayout.Segment::isPadding).containsExactly(false);
  }

  @Test
  void tellsWhichPiecesHoldAFile() {
    assertThat(layout.piecesOf(0)).isEqualTo(new PieceRange(0, 0));
    assertThat(layout.piecesOf(1).count()).as("an empty file lies in no piece").isZero();
    assertThat(layout.piecesOf(3)).isEqualTo(new PieceRange(1, 2));
  }

  @Test
  void refusesARangePastTheEnd() {
    assertThatThrownBy(() -> layout.segments(90, 11)).isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessage("range 90+11 outside the torrent's 100 bytes");
    assertThatThrownBy(() -> layout.blockSegments(new BlockRequest(2, 0, 21)))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessage("block 2:0+21 lies outside the torrent's pieces");
  }
}
