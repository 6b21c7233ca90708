package dev.piecemeal.client.resume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.bitfield.Bitfield;
import dev.piecemeal.client.resume.ResumeRecord.FileStamp;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ResumeCodecTest {
  private static final InfoHash HASH = InfoHash.fromHex("d8f739cef8b0f2c6a8e8f0f3b9d3c7a1e2f4a6b8");

  /** Pieces 0, 1 and 9 of 10 verified; two files. */
  private static ResumeRecord record() {
    Bitfield verified = new Bitfield(10);
    verified.set(0);
    verified.set(1);
    verified.set(9);
    return new ResumeRecord(1, HASH, 16384, 10,
        List.of(new FileStamp(100000, 1796148163123456789L), new FileStamp(63840, 1796148163000000000L)), verified);
  }

  /** The bytes of {@link #record()}, field by field: ASCII as text, binary as hex. */
  private static byte[] recordBytes() {
    return bytes(
        "d",
        "5:files", "l",
        "d", "5:mtime", "i1796148163123456789e", "4:size", "i100000e", "e",
        "d", "5:mtime", "i1796148163000000000e", "4:size", "i63840e", "e",
        "e",
        "9:info-hash", "20:", hex("d8f739cef8b0f2c6a8e8f0f3b9d3c7a1e2f4a6b8"),
        "11:piece count", "i10e",
        "12:piece length", "i16384e",
        "8:verified", "2:", hex("c040"), // 1100 0000 0100 0000: pieces 0, 1 and 9, spare bits zero
        "7:version", "i1e",
        "e");
  }

  @Test
  void encodesARecordAsOneCanonicalDictionaryByteByByte() {
    assertThat(ResumeCodec.encode(record())).isEqualTo(recordBytes());
  }

  @Test
  void decodesWhatItEncodes() throws Exception {
    ResumeRecord decoded = ResumeCodec.decode(recordBytes());

    assertThat(decoded).isEqualTo(record());
    assertThat(decoded.verified().cardinality()).isEqualTo(3);
    assertThat(decoded.files().get(0).modifiedNanos()).isEqualTo(1796148163123456789L);
  }

  @Test
  void boundsARecordByTheTorrentItIsFor() {
    assertThat(ResumeCodec.maxLength(10, 2)).as("what this record may take").isGreaterThan(recordBytes().length);
    assertThat(ResumeCodec.maxLength(Integer.MAX_VALUE, Integer.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE - 1);
  }

  @Nested
  class Truncated {
    @Test
    void refusesTheRecordCutShortAtEveryLength() {
      byte[] whole = recordBytes();
      for (int length = 0; length < whole.length; length++) {
        byte[] cut = Arrays.copyOf(whole, length);
        assertThatThrownBy(() -> ResumeCodec.decode(cut)).as("cut to %d bytes", length)
            .isInstanceOf(ResumeException.class)
            .hasMessageStartingWith("the resume file is not a resume record: ");
      }
    }

    @Test
    void refusesAFileLongerThanARecordOfTheTorrentTakes() throws Exception {
      byte[] whole = recordBytes();
      assertThatThrownBy(() -> ResumeCodec.decode(new java.io.ByteArrayInputStream(whole), whole.length - 1))
          .isInstanceOf(ResumeException.class)
          .hasMessageContaining("longer than the limit of " + (whole.length - 1) + " bytes");
    }
  }

  @Nested
  class Malformed {
    @Test
    void refusesGarbage() {
      assertThatThrownBy(() -> ResumeCodec.decode("not bencode at all".getBytes(StandardCharsets.US_ASCII)))
          .isInstanceOf(ResumeException.class)
          .hasMessageStartingWith("the resume file is not a resume record: ");
    }

    @Test
    void refusesAValueThatIsNotADictionary() {
      assertThatThrownBy(() -> ResumeCodec.decode(bytes("li1ee")))
          .isInstanceOf(ResumeException.class)
          .hasMessage("the resume file holds list, not a dictionary");
    }

    @Test
    void refusesAVersionFromTheFutureBeforeLookingAtAnythingElse() {
      assertThatThrownBy(() -> ResumeCodec.decode(bytes("d", "7:version", "i2e", "e")))
          .isInstanceOf(ResumeException.class)
          .hasMessage("the resume file is version 2, newer than the version 1 this Piecemeal reads");
    }

    @Test
    void refusesVersionZero() {
      assertThatThrownBy(() -> ResumeCodec.decode(replace("7:versioni1e", "7:versioni0e")))
          .isInstanceOf(ResumeException.class)
          .hasMessage("the resume file's version 0 is not in 1..2147483647");
    }

    @Test
    void refusesAMissingField() {
      assertThatThrownBy(() -> ResumeCodec.decode(replace("12:piece lengthi16384e", "")))
          .isInstanceOf(ResumeException.class)
          .hasMessage("the resume file has no piece length");
    }

    @Test
    void refusesAFieldOfTheWrongType() {
      assertThatThrownBy(() -> ResumeCodec.decode(replace("11:piece counti10e", "11:piece count2:10")))
          .isInstanceOf(ResumeException.class)
          .hasMessage("the resume file's piece count is string, not an integer");
    }

    @Test
    void refusesAnInfoHashOfTheWrongLength() {
      byte[] shortHash = bytes("d", "9:info-hash", "3:abc", "7:version", "i1e", "e");
      assertThatThrownBy(() -> ResumeCodec.decode(shortHash))
          .isInstanceOf(ResumeException.class)
          .hasMessage("the resume file's info-hash is 3 bytes, not 20");
    }

    @Test
    void refusesVerifiedPiecesSizedForAnotherPieceCount() {
      assertThatThrownBy(() -> ResumeCodec.decode(replace("11:piece counti10e", "11:piece counti1000000e")))
          .isInstanceOf(ResumeException.class)
          .hasMessage("the resume file's verified pieces: bitfield of 2 bytes, expected 125000 for 1000000 pieces");
    }

    @Test
    void refusesASpareBitSetAfterTheLastPiece() {
      byte[] bytes = recordBytes();
      int at = indexOf(bytes, "8:verified2:".getBytes(StandardCharsets.US_ASCII)) + 13;
      bytes[at] |= 0x01; // bit 15: a piece that does not exist
      assertThatThrownBy(() -> ResumeCodec.decode(bytes))
          .isInstanceOf(ResumeException.class)
          .hasMessage("the resume file's verified pieces: bitfield has spare bit 15 set, but the last piece is 9");
    }

    @Test
    void refusesAFileSizeBelowAbsent() {
      assertThatThrownBy(() -> ResumeCodec.decode(replace("4:sizei63840e", "4:sizei-2e")))
          .isInstanceOf(ResumeException.class)
          .hasMessage("the resume file's size -2 is not in -1..9223372036854775807");
    }
  }

  private static byte[] replace(String field, String with) {
    String text = new String(recordBytes(), StandardCharsets.ISO_8859_1);
    assertThat(text).contains(field);
    return text.replace(field, with).getBytes(StandardCharsets.ISO_8859_1);
  }

  private static int indexOf(byte[] bytes, byte[] part) {
    for (int i = 0; i + part.length <= bytes.length; i++) {
      if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
        return i;
      }
    }
    throw new AssertionError("not found");
  }

  private static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex);
  }

  private static byte[] bytes(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object part : parts) {
      out.writeBytes(part instanceof byte[] b ? b : ((String) part).getBytes(StandardCharsets.US_ASCII));
    }
    return out.toByteArray();
  }
}
