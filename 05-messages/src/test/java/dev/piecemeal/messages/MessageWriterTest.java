package dev.piecemeal.messages;

import static dev.piecemeal.testing.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MessageWriterTest {

  static Stream<WireExamples.Example> examples() {
    return WireExamples.ALL.stream();
  }

  private static byte[] written(Message message) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MessageWriter writer = new MessageWriter(out);
    writer.write(message);
    writer.flush();
    return out.toByteArray();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void writesEachMessageAsItsBytes(WireExamples.Example example) throws Exception {
    assertThat(written(example.message())).isEqualTo(example.bytes());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void readsBackEachMessageItWrote(WireExamples.Example example) throws Exception {
    byte[] bytes = written(example.message());
    Message read = new MessageReader(new ByteArrayInputStream(bytes), WireExamples.LIMITS).read();
    assertThat(read).isEqualTo(example.message());
  }

  /** Shows the block going to the stream as the caller's own array: a second write, no copy. */
  @Test
  void writesAPieceAsHeaderThenTheBlockItself() throws Exception {
    byte[] block = new byte[BlockRequest.MAX_LENGTH];
    RecordingStream out = new RecordingStream();

    new MessageWriter(out).write(Message.Piece.of(3, 32768, block));

    assertThat(out.writes).hasSize(2);
    assertThat(out.writes.get(0).length).as("header bytes").isEqualTo(13);
    assertThat(out.writes.get(1).array).as("the block's own array").isSameAs(block);
    assertThat(out.writes.get(1).length).isEqualTo(block.length);
  }

  @Test
  void writesOnlyTheBlockOfAPieceThatIsASliceOfALargerBuffer() throws Exception {
    ByteBuffer wholePiece = ByteBuffer.wrap(hex("00112233 44556677 8899aabb"));
    ByteBuffer secondBlock = wholePiece.position(4).limit(8).slice();

    assertThat(written(new Message.Piece(5, 4, secondBlock))).isEqualTo(hex(
        "0000000d",   // length 13 = 1 + 4 + 4 + 4
        "07",         // piece
        "00000005",   // piece 5
        "00000004",   // begin 4
        "44556677")); // only the slice's bytes
  }

  @Test
  void writesABlockHeldInADirectBuffer() throws Exception {
    ByteBuffer direct = ByteBuffer.allocateDirect(4).put(hex("cafebabe")).flip();
    assertThat(written(new Message.Piece(1, 16384, direct)))
        .isEqualTo(WireExamples.ALL.stream()
            .filter(e -> e.name().equals("piece")).findFirst().orElseThrow().bytes());
  }

  @Test
  void sendsNothingUntilFlushed() throws Exception {
    ByteArrayOutputStream socket = new ByteArrayOutputStream();
    MessageWriter writer = new MessageWriter(new BufferedOutputStream(socket));

    writer.write(new Message.Interested());
    assertThat(socket.size()).as("bytes sent before flush").isZero();

    writer.flush();
    assertThat(socket.toByteArray()).isEqualTo(hex("00000001", "02"));
  }

  /** An output stream that remembers each write call: which array, how many bytes. */
  private static final class RecordingStream extends OutputStream {
    record Write(byte[] array, int offset, int length) {}

    final List<Write> writes = new ArrayList<>();

    @Override
    public void write(int b) {
      writes.add(new Write(new byte[] {(byte) b}, 0, 1));
    }

    @Override
    public void write(byte[] b, int off, int len) {
      writes.add(new Write(b, off, len));
    }
  }
}
