package dev.piecemeal.messages;

import static dev.piecemeal.testing.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.handshake.ProtocolException;
import dev.piecemeal.testing.OneByteAtATimeInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MessageReaderTest {

  static Stream<WireExamples.Example> examples() {
    return WireExamples.ALL.stream();
  }

  private static Message readOne(InputStream in) throws Exception {
    return new MessageReader(in, WireExamples.LIMITS).read();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void readsEachMessageFromItsBytes(WireExamples.Example example) throws Exception {
    assertThat(readOne(new ByteArrayInputStream(example.bytes()))).isEqualTo(example.message());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void readsEachMessageOneByteAtATime(WireExamples.Example example) throws Exception {
    assertThat(readOne(new OneByteAtATimeInputStream(example.bytes())))
        .isEqualTo(example.message());
  }

  @Test
  void readsMessagesBackToBackWithoutReadingPastEach() throws Exception {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (WireExamples.Example example : WireExamples.ALL) {
      all.write(example.bytes());
    }
    ByteArrayInputStream in = new ByteArrayInputStream(all.toByteArray());
    MessageReader reader = new MessageReader(in, WireExamples.LIMITS);
    for (WireExamples.Example example : WireExamples.ALL) {
      assertThat(reader.read()).as(example.name()).isEqualTo(example.message());
    }
    assertThat(in.available()).as("bytes left after the last message").isZero();
  }

  @Test
  void skipsAMessageWithAnUnknownIdByItsLength() throws Exception {
    byte[] bytes = hex(
        "00000004",   // length 4 = 1 id + 3 bytes we do not understand
        "15",         // id 21: not a message we know
        "abcdef",     // its payload, skipped
        "00000005",   // length 5
        "04",         // have
        "00000002");  // piece 2
    assertThat(readOne(new OneByteAtATimeInputStream(bytes))).isEqualTo(new Message.Have(2));
  }

  @Test
  void handsOverTheBlockInAnArrayOfExactlyItsLength() throws Exception {
    byte[] block = new byte[BlockRequest.MAX_LENGTH];
    new Random(7).nextBytes(block);
    byte[] bytes = concat(hex(
        "00004009",   // length 16393 = 1 id + 4 index + 4 begin + 16384 block
        "07",         // piece
        "00000000",   // piece 0
        "00000000"),  // begin 0
        block);

    Message.Piece piece = (Message.Piece) readOne(new ByteArrayInputStream(bytes));

    ByteBuffer buffer = piece.block();
    assertThat(buffer.hasArray()).as("backed by an array storage can keep").isTrue();
    assertThat(buffer.array()).as("the array is the block, nothing around it").hasSize(block.length);
    assertThat(buffer.array()).isEqualTo(block);
  }

  @Test
  void readsEveryBlockIntoOneArrayWhenToldToReuseIt() throws Exception {
    byte[] first = new byte[BlockRequest.MAX_LENGTH];
    new Random(8).nextBytes(first);
    byte[] bytes = concat(concat(hex(
        "00004009",   // length 16393 = 1 id + 4 index + 4 begin + 16384 block
        "07",         // piece
        "00000001",   // piece 1
        "00000000"),  // begin 0
        first), hex(
        "0000000d",   // length 13 = 1 id + 4 index + 4 begin + 4 block
        "07",         // piece
        "00000002",   // piece 2
        "00004000",   // begin 16384
        "cafebabe")); // the block
    MessageReader reader =
        MessageReader.reusingBlockBuffer(new OneByteAtATimeInputStream(bytes), WireExamples.LIMITS);

    Message.Piece big = (Message.Piece) reader.read();
    assertThat(big).isEqualTo(Message.Piece.of(1, 0, first));
    ByteBuffer bigBlock = big.block();
    Message.Piece small = (Message.Piece) reader.read();

    assertThat(small).isEqualTo(Message.Piece.of(2, 16384, hex("cafebabe")));
    assertThat(small.block().array())
        .as("the second block is read into the array of the first")
        .isSameAs(bigBlock.array());
    assertThat(bigBlock.get(0))
        .as("so the first block is overwritten: a caller stores it before reading on")
        .isEqualTo((byte) 0xca);
  }

  /** Messages cut into random TCP segments come out the same as they went in. */
  @Nested
  class Fragmentation {
    private final Random random = new Random(20260101);
    private final List<Message> sent = randomMessages(random, 400);
    private final byte[] wire = encode(sent);

    @Test
    void readsTheSameMessagesFromOneRead() throws Exception {
      assertThat(readAll(new ByteArrayInputStream(wire))).isEqualTo(sent);
    }

    @Test
    void readsTheSameMessagesOneByteAtATime() throws Exception {
      assertThat(readAll(new OneByteAtATimeInputStream(wire))).isEqualTo(sent);
    }

    @Test
    void readsTheSameMessagesHoweverTheStreamIsCut() throws Exception {
      for (long seed = 1; seed <= 20; seed++) {
        int maxPerRead = 1 + (int) (seed * seed * 50);
        assertThat(readAll(new RandomlyCutInputStream(wire, seed, maxPerRead)))
            .as("cut with seed %d, up to %d bytes per read", seed, maxPerRead)
            .isEqualTo(sent);
      }
    }

    private List<Message> readAll(InputStream in) throws Exception {
      MessageReader reader = new MessageReader(in, WireExamples.LIMITS);
      List<Message> received = new ArrayList<>();
      while (received.size() < sent.size()) {
        received.add(reader.read());
      }
      assertThatThrownBy(reader::read)
          .as("nothing after the last message")
          .isInstanceOf(EOFException.class);
      return received;
    }
  }

  @Nested
  class Truncated {

    @Test
    void saysTheConnectionClosedBetweenMessages() {
      assertThatThrownBy(() -> readOne(new ByteArrayInputStream(new byte[0])))
          .isInstanceOf(EOFException.class)
          .hasMessage("connection closed after 0 of 4 bytes of a length prefix");
    }

    @Test
    void saysHowMuchOfTheLengthPrefixArrived() {
      assertThatThrownBy(() -> readOne(new OneByteAtATimeInputStream(hex("0000"))))
          .isInstanceOf(EOFException.class)
          .hasMessage("connection closed after 2 of 4 bytes of a length prefix");
    }

    @Test
    void saysAMessageEndedBeforeItsId() {
      assertThatThrownBy(() -> readOne(new OneByteAtATimeInputStream(hex("00000005"))))
          .isInstanceOf(EOFException.class)
          .hasMessage("connection closed after 0 of 5 bytes of a message");
    }

    @Test
    void saysHowMuchOfAPieceArrived() {
      byte[] bytes = hex(
          "0000000d",   // length 13
          "07",         // piece
          "00000001",   // piece 1
          "0000");      // begin, cut after 2 of its 4 bytes
      assertThatThrownBy(() -> readOne(new OneByteAtATimeInputStream(bytes)))
          .isInstanceOf(EOFException.class)
          .hasMessage("connection closed after 7 of 13 bytes of a piece message");
    }

    @Test
    void saysHowMuchOfAPiecesBlockArrived() {
      byte[] bytes = hex(
          "0000000d",   // length 13 = 1 + 4 + 4 + a 4-byte block
          "07",         // piece
          "00000001",   // piece 1
          "00004000",   // begin 16384
          "cafe");      // 2 of the block's 4 bytes
      assertThatThrownBy(() -> readOne(new OneByteAtATimeInputStream(bytes)))
          .isInstanceOf(EOFException.class)
          .hasMessage("connection closed after 11 of 13 bytes of a piece message");
    }

    @Test
    void saysHowMuchOfABitfieldArrived() {
      byte[] bytes = hex(
          "0000000e",   // length 14 = 1 + 13 bytes for 100 pieces
          "05",         // bitfield
          "ffff");      // 2 of 13 bytes
      assertThatThrownBy(() -> readOne(new OneByteAtATimeInputStream(bytes)))
          .isInstanceOf(EOFException.class)
          .hasMessage("connection closed after 3 of 14 bytes of a bitfield message");
    }

    @Test
    void saysHowMuchOfAnExtendedMessageArrived() {
      byte[] bytes = hex(
          "0000000d",   // length 13
          "14",         // extended
          "00",         // extended id 0
          "6431");      // "d1", 2 of 11 payload bytes
      assertThatThrownBy(() -> readOne(new OneByteAtATimeInputStream(bytes)))
          .isInstanceOf(EOFException.class)
          .hasMessage("connection closed after 4 of 13 bytes of an extended message");
    }

    @Test
    void saysHowMuchOfASkippedMessageArrived() {
      byte[] bytes = hex(
          "00000010",   // length 16
          "63",         // id 99: unknown, to be skipped
          "0102");      // 2 of 15 bytes
      assertThatThrownBy(() -> readOne(new OneByteAtATimeInputStream(bytes)))
          .isInstanceOf(EOFException.class)
          .hasMessage("connection closed after 3 of 16 bytes of an unknown (id 99) message");
    }
  }

  @Nested
  class Malformed {

    @Test
    void rejectsAHaveOfThreeBytes() {
      byte[] bytes = hex(
          "00000003",   // length 3, but a have is always 5
          "04",         // have
          "0001");
      assertThatThrownBy(() -> readOne(new ByteArrayInputStream(bytes)))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("have message of 3 bytes, expected 5");
    }

    @Test
    void rejectsAChokeWithAPayload() {
      byte[] bytes = hex(
          "00000002",   // length 2, but a choke is just its id
          "00",         // choke
          "00");
      assertThatThrownBy(() -> readOne(new ByteArrayInputStream(bytes)))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("choke message of 2 bytes, expected 1");
    }

    @Test
    void rejectsAPieceWithNoBlock() {
      byte[] bytes = hex(
          "00000009",   // length 9 = 1 + 4 + 4: the header and nothing else
          "07",         // piece
          "00000001",
          "00000000");
      assertThatThrownBy(() -> readOne(new ByteArrayInputStream(bytes)))
          .isInstanceOf(ProtocolException.class)
          .hasMessage(
              "piece message of 9 bytes is shorter than the smallest legal one (10 bytes)");
    }

    @Test
    void rejectsABitfieldShorterThanTheTorrentNeeds() {
      byte[] bytes = hex(
          "00000005",   // length 5 = 1 + 4 bytes: 32 pieces, but the torrent has 100
          "05",         // bitfield
          "ffffffff");
      assertThatThrownBy(() -> readOne(new ByteArrayInputStream(bytes)))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("bitfield message of 5 bytes, expected 14");
    }

    @Test
    void rejectsAnExtendedMessageWithoutItsExtendedId() {
      byte[] bytes = hex(
          "00000001",   // length 1: the id, no extended id
          "14");        // extended
      assertThatThrownBy(() -> readOne(new ByteArrayInputStream(bytes)))
          .isInstanceOf(ProtocolException.class)
          .hasMessage(
              "extended message of 1 bytes is shorter than the smallest legal one (2 bytes)");
    }

    @Test
    void rejectsAHaveOfAPieceBeyondTheTorrent() {
      byte[] bytes = hex(
          "00000005",   // length 5
          "04",         // have
          "00000064");  // piece 100, but the last piece is 99
      assertThatThrownBy(() -> readOne(new ByteArrayInputStream(bytes)))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("piece index 100 in a have message is beyond the last piece (99)");
    }

    @Test
    void readsAPieceIndexAsUnsigned() {
      byte[] bytes = hex(
          "00000005",   // length 5
          "11",         // allowed fast
          "ffffffff");  // 4294967295, not -1
      assertThatThrownBy(() -> readOne(new ByteArrayInputStream(bytes)))
          .isInstanceOf(ProtocolException.class)
          .hasMessage(
              "piece index 4294967295 in an allowed fast message is beyond the last piece (99)");
    }

    @Test
    void rejectsARequestForMoreThan16KiB() {
      byte[] bytes = hex(
          "0000000d",   // length 13
          "06",         // request
          "00000001",   // piece 1
          "00000000",   // begin 0
          "00008000");  // length 32768: more than any client serves
      assertThatThrownBy(() -> readOne(new ByteArrayInputStream(bytes)))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("block length 32768 in a request message outside 1..16384 bytes");
    }

    @Test
    void rejectsACancelOfZeroBytes() {
      byte[] bytes = hex(
          "0000000d",   // length 13
          "08",         // cancel
          "00000001",   // piece 1
          "00000000",   // begin 0
          "00000000");  // length 0
      assertThatThrownBy(() -> readOne(new ByteArrayInputStream(bytes)))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("block length 0 in a cancel message outside 1..16384 bytes");
    }

    @Test
    void rejectsABlockOffsetNoPieceCanHave() {
      byte[] bytes = hex(
          "0000000d",   // length 13
          "10",         // reject request
          "00000001",   // piece 1
          "80000000",   // begin 2147483648: past any piece
          "00004000");  // length 16384
      assertThatThrownBy(() -> readOne(new ByteArrayInputStream(bytes)))
          .isInstanceOf(ProtocolException.class)
          .hasMessage(
              "block offset 2147483648 in a reject request message is larger than any piece");
    }
  }

  @Nested
  class TooLarge {

    @Test
    void refusesATwoGibibyteLengthBeforeReadingAnyFurther() throws IOException {
      ByteArrayInputStream in = new ByteArrayInputStream(hex(
          "80000000",   // length 2147483648: 2 GiB, no message is that large
          "07",         // what would be the id
          "0000000000000000"));
      assertThatThrownBy(() -> readOne(in))
          .isInstanceOf(ProtocolException.class)
          .hasMessage(
              "length prefix 2147483648 exceeds the largest legal message (1048578 bytes)");
      assertThat(in.available()).as("bytes not read after the length prefix").isEqualTo(9);
    }

    @Test
    void readsTheLengthPrefixAsUnsigned() {
      assertThatThrownBy(() -> readOne(new ByteArrayInputStream(hex("ffffffff"))))
          .isInstanceOf(ProtocolException.class)
          .hasMessageStartingWith("length prefix 4294967295 exceeds");
    }

    @Test
    void refusesAPieceWithABlockLargerThan16KiB() {
      byte[] bytes = hex(
          "0000400a",   // length 16394 = 1 + 4 + 4 + 16385: one byte more than a block
          "07");        // piece
      assertThatThrownBy(() -> readOne(new ByteArrayInputStream(bytes)))
          .isInstanceOf(ProtocolException.class)
          .hasMessage(
              "piece message of 16394 bytes exceeds the largest legal one (16393 bytes)");
    }

    @Test
    void refusesABitfieldLargerThanTheTorrentNeeds() {
      byte[] bytes = hex(
          "00000400",   // length 1024: a bitfield for 8184 pieces, but the torrent has 100
          "05");        // bitfield
      assertThatThrownBy(() -> readOne(new ByteArrayInputStream(bytes)))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("bitfield message of 1024 bytes, expected 14");
    }

    @Test
    void beforeMetadataAcceptsABitfieldOfAnyLengthUpToTheBound() throws Exception {
      MessageLimits limits = MessageLimits.beforeMetadata(100); // at most 100 pieces: 13 bytes
      byte[] bytes = hex(
          "00000003",   // length 3 = 1 + 2 bytes: a torrent of 9 to 16 pieces
          "05",         // bitfield
          "ff80");
      assertThat(new MessageReader(new ByteArrayInputStream(bytes), limits).read())
          .isEqualTo(new Message.Bitfield(hex("ff80")));
    }

    @Test
    void beforeMetadataRefusesABitfieldLongerThanTheBound() {
      MessageLimits limits = MessageLimits.beforeMetadata(100);
      byte[] bytes = hex(
          "0000000f",   // length 15 = 1 + 14 bytes: 112 pieces, more than the 100 at most
          "05");        // bitfield
      assertThatThrownBy(() -> new MessageReader(new ByteArrayInputStream(bytes), limits).read())
          .isInstanceOf(ProtocolException.class)
          .hasMessage("bitfield message of 15 bytes exceeds the largest legal one (14 bytes)");
    }

    @Test
    void refusesAnExtendedMessageLargerThanItsBound() {
      MessageLimits limits = new MessageLimits(100, 100);
      byte[] bytes = hex(
          "00000067",   // length 103 = 1 + 1 + 101 payload, one more than the bound of 100
          "14");        // extended
      assertThatThrownBy(() -> new MessageReader(new ByteArrayInputStream(bytes), limits).read())
          .isInstanceOf(ProtocolException.class)
          .hasMessage(
              "extended message of 103 bytes exceeds the largest legal one (102 bytes)");
    }

    @Test
    void acceptsAnExtendedMessageOfExactlyItsBound() throws Exception {
      MessageLimits limits = new MessageLimits(100, 3);
      byte[] bytes = hex(
          "00000005",   // length 5 = 1 + 1 + 3 payload: exactly the bound of 3
          "14",         // extended
          "02",         // extended id 2
          "616263");    // "abc"
      assertThat(new MessageReader(new ByteArrayInputStream(bytes), limits).read())
          .isEqualTo(new Message.Extended(2, hex("616263")));
    }

    @Test
    void refusesAnUnknownMessageLargerThanAnyKnownOne() {
      byte[] bytes = hex(
          "00100003",   // length 1048579: one more than the largest legal message
          "63");        // id 99, unknown
      assertThatThrownBy(() -> readOne(new ByteArrayInputStream(bytes)))
          .isInstanceOf(ProtocolException.class)
          .hasMessage(
              "length prefix 1048579 exceeds the largest legal message (1048578 bytes)");
    }
  }

  // Helpers: random messages of every kind, and their encoding.

  static List<Message> randomMessages(Random random, int count) {
    List<Message> messages = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      messages.add(randomMessage(random));
    }
    return messages;
  }

  private static Message randomMessage(Random random) {
    int pieces = WireExamples.LIMITS.pieceCount();
    return switch (random.nextInt(18)) {
      case 0 -> new Message.KeepAlive();
      case 1 -> new Message.Choke();
      case 2 -> new Message.Unchoke();
      case 3 -> new Message.Interested();
      case 4 -> new Message.NotInterested();
      case 5 -> new Message.Have(random.nextInt(pieces));
      case 6 -> new Message.Bitfield(randomBytes(random, WireExamples.LIMITS.bitfieldLength()));
      case 7 -> new Message.Request(randomBlock(random));
      case 8 -> Message.Piece.of(random.nextInt(pieces), random.nextInt(1 << 20),
          randomBytes(random, 1 + random.nextInt(BlockRequest.MAX_LENGTH)));
      case 9 -> new Message.Cancel(randomBlock(random));
      case 10 -> new Message.Port(random.nextInt(0x10000));
      case 11 -> new Message.Suggest(random.nextInt(pieces));
      case 12 -> new Message.HaveAll();
      case 13 -> new Message.HaveNone();
      case 14 -> new Message.RejectRequest(randomBlock(random));
      case 15 -> new Message.AllowedFast(random.nextInt(pieces));
      case 16 -> new Message.Extended(random.nextInt(256), randomBytes(random, random.nextInt(300)));
      default -> Message.Piece.of(pieces - 1, 0, randomBytes(random, 1));
    };
  }

  private static BlockRequest randomBlock(Random random) {
    return new BlockRequest(
        random.nextInt(WireExamples.LIMITS.pieceCount()),
        random.nextInt(1 << 20),
        1 + random.nextInt(BlockRequest.MAX_LENGTH));
  }

  private static byte[] randomBytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  static byte[] encode(List<Message> messages) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      MessageWriter writer = new MessageWriter(out);
      for (Message message : messages) {
        writer.write(message);
      }
      writer.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] both = new byte[first.length + second.length];
    System.arraycopy(first, 0, both, 0, first.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }
}
