package dev.piecemeal.messages;

import static dev.piecemeal.testing.Hex.hex;
import static java.nio.charset.StandardCharsets.US_ASCII;

import java.util.List;

/**
 * One example of every message, spelled out byte by byte as the specs draw it. {@link
 * MessageWriterTest} checks that each message encodes to its bytes and {@link MessageReaderTest}
 * that the bytes decode to the message, so the table below is the chapter's message table, tested.
 * The torrent they belong to has 100 pieces ({@link #LIMITS}).
 */
final class WireExamples {
  private WireExamples() {}

  static final MessageLimits LIMITS = MessageLimits.forPieces(100);

  record Example(String name, Message message, byte[] bytes) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final List<Example> ALL =
      List.of(
          new Example("keep-alive", new Message.KeepAlive(), hex(
              "00000000")), // length 0: no id, nothing else
          new Example("choke", new Message.Choke(), hex(
              "00000001",   // length 1: just the id
              "00")),       // id 0: choke
          new Example("unchoke", new Message.Unchoke(), hex(
              "00000001",   // length 1
              "01")),       // id 1: unchoke
          new Example("interested", new Message.Interested(), hex(
              "00000001",   // length 1
              "02")),       // id 2: interested
          new Example("not interested", new Message.NotInterested(), hex(
              "00000001",   // length 1
              "03")),       // id 3: not interested
          new Example("have", new Message.Have(99), hex(
              "00000005",   // length 5 = 1 id + 4 index
              "04",         // id 4: have
              "00000063")), // piece 99, the last of 100
          new Example("bitfield", new Message.Bitfield(hex("c0 00 00 00 00 00 00 00 00 00 00 00 10")),
              hex(
              "0000000e",   // length 14 = 1 id + 13 bytes for 100 pieces
              "05",         // id 5: bitfield
              "c0",         // 1100 0000: pieces 0 and 1 (high bit first)
              "00 00 00 00 00 00 00 00 00 00 00", // pieces 8 to 95: none
              "10")),       // 0001 0000: piece 99; the low 4 bits are spare (no pieces 100..103)
          new Example("request", new Message.Request(new BlockRequest(1, 16384, 16384)), hex(
              "0000000d",   // length 13 = 1 id + 4 index + 4 begin + 4 length
              "06",         // id 6: request
              "00000001",   // piece 1
              "00004000",   // begin 16384
              "00004000")), // length 16384
          new Example("piece", Message.Piece.of(1, 16384, hex("cafebabe")), hex(
              "0000000d",   // length 13 = 1 id + 4 index + 4 begin + 4 block
              "07",         // id 7: piece
              "00000001",   // piece 1
              "00004000",   // begin 16384
              "cafebabe")), // the block
          new Example("cancel", new Message.Cancel(new BlockRequest(2, 0, 16384)), hex(
              "0000000d",   // length 13 = 1 id + 4 index + 4 begin + 4 length
              "08",         // id 8: cancel
              "00000002",   // piece 2
              "00000000",   // begin 0
              "00004000")), // length 16384
          new Example("port", new Message.Port(6881), hex(
              "00000003",   // length 3 = 1 id + 2 port
              "09",         // id 9: port (BEP 5)
              "1ae1")),     // UDP port 6881
          new Example("suggest", new Message.Suggest(7), hex(
              "00000005",   // length 5 = 1 id + 4 index
              "0d",         // id 13: suggest (BEP 6)
              "00000007")), // piece 7
          new Example("have all", new Message.HaveAll(), hex(
              "00000001",   // length 1
              "0e")),       // id 14: have all (BEP 6)
          new Example("have none", new Message.HaveNone(), hex(
              "00000001",   // length 1
              "0f")),       // id 15: have none (BEP 6)
          new Example("reject request", new Message.RejectRequest(new BlockRequest(3, 32768, 1024)),
              hex(
              "0000000d",   // length 13 = 1 id + 4 index + 4 begin + 4 length
              "10",         // id 16: reject request (BEP 6)
              "00000003",   // piece 3
              "00008000",   // begin 32768
              "00000400")), // length 1024 (a last, short block)
          new Example("allowed fast", new Message.AllowedFast(42), hex(
              "00000005",   // length 5 = 1 id + 4 index
              "11",         // id 17: allowed fast (BEP 6)
              "0000002a")), // piece 42
          new Example("extended", new Message.Extended(0, "d1:pi6881ee".getBytes(US_ASCII)), hex(
              "0000000d",   // length 13 = 1 id + 1 extended id + 11 payload
              "14",         // id 20: extended (BEP 10)
              "00",         // extended id 0: the extension handshake
              "64 31 3a 70 69 36 38 38 31 65 65"))); // "d1:pi6881ee", raw
}
