package dev.piecemeal.bencode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.piecemeal.testing.Corpus;
import dev.piecemeal.testing.ProjectRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property-style test: random damage to a valid torrent (a changed byte, a cut, a deleted or
 * repeated run of bytes) must give either a {@link Metainfo} that keeps its invariants or a
 * {@link MetainfoException}. Never another exception: an IndexOutOfBounds or a StackOverflowError
 * here is a crash a user would see. The seed is fixed, so a failure reproduces.
 */
class MetainfoMutationTest {
  private static final int MUTANTS_PER_TORRENT = 3000;
  private static final byte[] GRAMMAR = "ield:-0123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"samples/piecemeal-sample.torrent", "base.torrent", "sample.torrent",
      "overlapping_symlinks.torrent", "v2.torrent", "pad_file.torrent"})
  void damagedTorrentsLoadOrFailWithTheTypedException(String which) throws Exception {
    Path file = which.startsWith("samples/") ? ProjectRoot.resolve(which) : Corpus.resolve("torrents/" + which);
    byte[] original = Files.readAllBytes(file);
    Random random = new Random(which.hashCode());
    int loaded = 0;
    for (int n = 0; n < MUTANTS_PER_TORRENT; n++) {
      byte[] mutant = original;
      for (int k = 1 + random.nextInt(3); k > 0; k--) {
        mutant = mutate(mutant, random);
      }
      try {
        Metainfo metainfo = Metainfo.fromBytes(mutant);
        loaded++;
        long pieces = (metainfo.totalLength() + metainfo.pieceLength() - 1) / metainfo.pieceLength();
        assertThat((long) metainfo.pieceCount()).isEqualTo(pieces);
        assertThat(metainfo.files().get(metainfo.files().size() - 1).end()).isEqualTo(metainfo.totalLength());
      } catch (MetainfoException expected) {
        assertThat(expected.getMessage()).isNotBlank();
      } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
        fail("mutant %d of %s crashed with %s; bytes: %s", n, which, e, Arrays.toString(mutant), e);
      }
    }
    // Changing a byte of the piece hashes or a name still loads: the test must see both outcomes.
    assertThat(loaded).as("some mutants still load").isPositive().isLessThan(MUTANTS_PER_TORRENT);
  }

  private static byte[] mutate(byte[] bytes, Random random) {
    if (bytes.length == 0) {
      return new byte[] {GRAMMAR[random.nextInt(GRAMMAR.length)]};
    }
    int at = random.nextInt(bytes.length);
    byte[] copy = bytes.clone();
    switch (random.nextInt(6)) {
      case 0 -> copy[at] = (byte) random.nextInt(256);
      case 1 -> copy[at] = GRAMMAR[random.nextInt(GRAMMAR.length)];
      case 2 -> {
        return Arrays.copyOf(bytes, at);
      }
      case 3 -> {
        int length = Math.min(1 + random.nextInt(16), bytes.length - at);
        byte[] shorter = new byte[bytes.length - length];
        System.arraycopy(bytes, 0, shorter, 0, at);
        System.arraycopy(bytes, at + length, shorter, at, bytes.length - at - length);
        return shorter;
      }
      case 4 -> {
        int length = Math.min(1 + random.nextInt(16), bytes.length - at);
        byte[] longer = new byte[bytes.length + length];
        System.arraycopy(bytes, 0, longer, 0, at + length);
        System.arraycopy(bytes, at, longer, at + length, bytes.length - at);
        return longer;
      }
      default -> copy[at] = (byte) (copy[at] ^ (1 << random.nextInt(8)));
    }
    return copy;
  }
}
