package dev.piecemeal.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.handshake.ProtocolException;
import dev.piecemeal.messages.BlockRequest;
import dev.piecemeal.storage.PieceAssembler.Added;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PieceAssemblerTest {
  private static final int BLOCK = 16384;

  /** Piece bytes that differ at every offset, so a block copied to the wrong place shows. */
  private static byte[] content(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static ByteBuffer block(byte[] piece, int begin) {
    return ByteBuffer.wrap(piece, begin, Math.min(BLOCK, piece.length - begin)).slice();
  }

  private static List<Integer> begins(int length) {
    List<Integer> begins = new ArrayList<>();
    for (int begin = 0; begin < length; begin += BLOCK) {
      begins.add(begin);
    }
    return begins;
  }

  @Test
  void assemblesBlocksArrivingInRandomOrderFromSeveralPeers() throws Exception {
    byte[] piece = content(4 * BLOCK, 1);
    PieceAssembler<String> assembler = new PieceAssembler<>(7, piece.length);
    List<Integer> order = begins(piece.length);
    Collections.shuffle(order, new Random(42));
    List<Added> results = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      results.add(assembler.add(i % 2 == 0 ? "A" : "B", 7, order.get(i), block(piece, order.get(i))));
    }
    assertThat(results).containsExactly(Added.STORED, Added.STORED, Added.STORED, Added.PIECE_COMPLETE);
    assertThat(assembler.isComplete()).isTrue();
    assertThat(assembler.bytes()).isEqualTo(ByteBuffer.wrap(piece));
    assertThat(assembler.contributors()).containsExactlyInAnyOrder("A", "B");
  }

  @Test
  void ignoresADuplicateBlockAndKeepsTheFirstCopy() throws Exception {
    byte[] piece = content(2 * BLOCK, 2);
    PieceAssembler<String> assembler = new PieceAssembler<>(0, piece.length);
    assertThat(assembler.add("A", 0, 0, block(piece, 0))).isEqualTo(Added.STORED);
    byte[] other = content(BLOCK, 3);
    assertThat(assembler.add("C", 0, 0, ByteBuffer.wrap(other))).isEqualTo(Added.DUPLICATE);
    assertThat(assembler.add("B", 0, BLOCK, block(piece, BLOCK))).isEqualTo(Added.PIECE_COMPLETE);
    assertThat(assembler.add("C", 0, BLOCK, block(piece, BLOCK))).isEqualTo(Added.DUPLICATE);
    assertThat(assembler.bytes()).isEqualTo(ByteBuffer.wrap(piece));
    assertThat(assembler.contributors()).as("a duplicate contributes nothing").containsExactly("A", "B");
  }

  @Test
  void namesTheSenderOfEachBlockInBlockOrderWithNullForAMissingOne() throws Exception {
    byte[] piece = content(3 * BLOCK, 5);
    PieceAssembler<String> assembler = new PieceAssembler<>(2, piece.length);
    assembler.add("B", 2, 2 * BLOCK, block(piece, 2 * BLOCK));
    assembler.add("A", 2, 0, block(piece, 0));
    assembler.add("C", 2, 0, block(piece, 0)); // a duplicate: the first sender stays on record

    assertThat(assembler.blockSenders()).containsExactly("A", null, "B");
  }

  @Test
  void assemblesAPieceLengthThatIsNotAMultipleOf16KiB() throws Exception {
    byte[] piece = content(40000, 4); // blocks 16384, 16384, 7232
    PieceAssembler<String> assembler = new PieceAssembler<>(3, piece.length);
    assertThat(assembler.missingBlocks()).containsExactly(
        new BlockRequest(3, 0, BLOCK), new BlockRequest(3, BLOCK, BLOCK), new BlockRequest(3, 2 * BLOCK, 7232));
    assembler.add("A", 3, 2 * BLOCK, block(piece, 2 * BLOCK));
    assembler.add("A", 3, 0, block(piece, 0));
    assertThat(assembler.missingBlocks()).containsExactly(new BlockRequest(3, BLOCK, BLOCK));
    assertThat(assembler.add("A", 3, BLOCK, block(piece, BLOCK))).isEqualTo(Added.PIECE_COMPLETE);
    assertThat(assembler.bytes()).isEqualTo(ByteBuffer.wrap(piece));
  }

  @Test
  void assemblesALastPieceShorterThanOneBlock() throws Exception {
    byte[] piece = content(1000, 5);
    PieceAssembler<String> assembler = new PieceAssembler<>(9, piece.length);
    assertThat(assembler.add("A", 9, 0, ByteBuffer.wrap(piece))).isEqualTo(Added.PIECE_COMPLETE);
    assertThat(assembler.bytes()).isEqualTo(ByteBuffer.wrap(piece));
  }

  @Test
  void putsAShortLastPieceTogetherInTheFrontOfALentDirectBuffer() throws Exception {
    byte[] piece = content(BLOCK + 1000, 7);
    ByteBuffer lent = ByteBuffer.allocateDirect(4 * BLOCK);
    lent.put(0, content(4 * BLOCK, 8)); // what the piece before it left behind
    PieceAssembler<String> assembler = new PieceAssembler<>(5, piece.length, lent);

    assembler.add("A", 5, BLOCK, block(piece, BLOCK));
    assertThat(assembler.add("A", 5, 0, block(piece, 0))).isEqualTo(Added.PIECE_COMPLETE);

    assertThat(assembler.bytes()).as("the piece's bytes only, none left from before").isEqualTo(ByteBuffer.wrap(piece));
    assertThat(assembler.length()).isEqualTo(piece.length);
    assertThat(assembler.buffer()).as("the buffer goes back to its lender whole").isSameAs(lent);
  }

  @Test
  void refusesALentBufferShorterThanThePiece() {
    assertThatThrownBy(() -> new PieceAssembler<String>(1, 2 * BLOCK, ByteBuffer.allocate(BLOCK)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("piece 1 of 32768 bytes in a buffer of 16384");
  }

  @Test
  void leavesTheCallersBufferPositionAlone() throws Exception {
    ByteBuffer block = ByteBuffer.wrap(content(100, 6));
    new PieceAssembler<String>(0, 100).add("A", 0, 0, block);
    assertThat(block.position()).isZero();
  }

  @Test
  void refusesToHandOutAnIncompletePiece() throws Exception {
    PieceAssembler<String> assembler = new PieceAssembler<>(2, 2 * BLOCK);
    assembler.add("A", 2, 0, ByteBuffer.allocate(BLOCK));
    assertThatThrownBy(assembler::bytes).isInstanceOf(IllegalStateException.class)
        .hasMessage("piece 2 has 1 of 2 blocks");
  }

  @Test
  void hashesEachBlockForTheEvidenceOfAFailedPiece() throws Exception {
    byte[] piece = content(40000, 8);
    PieceAssembler<String> assembler = new PieceAssembler<>(0, piece.length);
    for (int begin : begins(piece.length)) {
      assembler.add("A", 0, begin, block(piece, begin));
    }
    java.security.MessageDigest sha1 = java.security.MessageDigest.getInstance("SHA-1");

    assertThat(assembler.blockHashes()).containsExactly(
        sha1.digest(java.util.Arrays.copyOfRange(piece, 0, BLOCK)),
        sha1.digest(java.util.Arrays.copyOfRange(piece, BLOCK, 2 * BLOCK)),
        sha1.digest(java.util.Arrays.copyOfRange(piece, 2 * BLOCK, 40000)));
  }

  @Test
  void namesTheBlocksThatArrivedAndTheMemoryItHolds() throws Exception {
    byte[] piece = content(40000, 9);
    PieceAssembler<String> assembler = new PieceAssembler<>(4, piece.length);
    assembler.add("A", 4, 2 * BLOCK, block(piece, 2 * BLOCK));

    assertThat(assembler.receivedBlocks()).containsExactly(new BlockRequest(4, 2 * BLOCK, 7232));
    assertThat(assembler.bytesHeld()).as("the piece and a sender a block").isEqualTo(40000 + 3 * 8)
        .isEqualTo(PieceAssembler.bytesFor(40000));
  }

  @Nested
  class WrongBlock {
    private final PieceAssembler<String> assembler = new PieceAssembler<>(5, 40000);

    @Test
    void rejectsABlockOfAnotherPiece() {
      assertThatThrownBy(() -> assembler.add("A", 6, 0, ByteBuffer.allocate(BLOCK)))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("block 6:0+16384 is not part of piece 5");
    }

    @Test
    void rejectsABlockOffThe16KiBGrid() {
      assertThatThrownBy(() -> assembler.add("A", 5, 100, ByteBuffer.allocate(BLOCK)))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("block 5:100+16384 does not start on a 16 KiB block of the piece's 40000 bytes");
    }

    @Test
    void rejectsABlockStartingPastThePiece() {
      assertThatThrownBy(() -> assembler.add("A", 5, 3 * BLOCK, ByteBuffer.allocate(100)))
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining("5:49152+100 does not start on a 16 KiB block");
    }

    @Test
    void rejectsAShortBlockWhereAFullOneBelongs() {
      assertThatThrownBy(() -> assembler.add("A", 5, BLOCK, ByteBuffer.allocate(1000)))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("block 5:16384+1000 has 1000 bytes, but the block there has 16384");
    }

    @Test
    void rejectsALastBlockThatRunsPastThePiece() {
      assertThatThrownBy(() -> assembler.add("A", 5, 2 * BLOCK, ByteBuffer.allocate(BLOCK)))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("block 5:32768+16384 has 16384 bytes, but the block there has 7232");
    }

    @Test
    void keepsNothingOfARejectedBlock() throws Exception {
      try {
        assembler.add("A", 5, BLOCK, ByteBuffer.allocate(1000));
      } catch (ProtocolException expected) {
        // the next assertions are the point
      }
      assertThat(assembler.missingBlocks()).hasSize(3);
      assertThat(assembler.contributors()).isEmpty();
    }
  }

  @Test
  void namesEveryPeerThatSentABlock() throws Exception {
    byte[] piece = content(3 * BLOCK, 7);
    PieceAssembler<String> assembler = new PieceAssembler<>(0, piece.length);
    assembler.add("B", 0, BLOCK, block(piece, BLOCK));
    assembler.add("A", 0, 0, block(piece, 0));
    assembler.add("B", 0, 2 * BLOCK, block(piece, 2 * BLOCK));
    assertThat(assembler.contributors()).as("in block order, each once").containsExactly("A", "B");
    assertThat(assembler.bytes().isReadOnly()).as("callers cannot change a verified piece").isTrue();
  }
}
