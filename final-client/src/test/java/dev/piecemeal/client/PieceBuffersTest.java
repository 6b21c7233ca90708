package dev.piecemeal.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class PieceBuffersTest {

  @Test
  void lendsABufferGivenBackBeforeMakingANewOne() {
    PieceBuffers buffers = new PieceBuffers(1 << 20);
    ByteBuffer first = buffers.lend();
    ByteBuffer second = buffers.lend();

    buffers.giveBack(first);

    assertThat(buffers.lend()).isSameAs(first);
    assertThat(buffers.lend()).isNotSameAs(first).isNotSameAs(second);
    assertThat(buffers.made()).isEqualTo(3);
  }

  @Test
  void makesDirectBuffersOfThePieceLength() {
    ByteBuffer buffer = new PieceBuffers(65536).lend();

    assertThat(buffer.isDirect()).as("outside the Java heap").isTrue();
    assertThat(buffer.capacity()).isEqualTo(65536);
  }

  @Test
  void keepsNoBufferItDidNotLend() {
    PieceBuffers buffers = new PieceBuffers(65536);

    buffers.giveBack(ByteBuffer.allocate(65536)); // a piece's own heap buffer
    buffers.giveBack(ByteBuffer.allocateDirect(1000)); // not the piece length

    assertThat(buffers.lend().capacity()).isEqualTo(65536);
    assertThat(buffers.made()).as("both refused, so the lend made a new one").isEqualTo(1);
  }
}
