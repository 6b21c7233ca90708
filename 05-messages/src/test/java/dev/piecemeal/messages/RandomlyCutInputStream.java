package dev.piecemeal.messages;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.util.Random;

/**
 * A stream that hands out a random number of bytes per read, from 1 to {@code maxPerRead}: TCP
 * segments cut wherever the network liked. Seeded, so a failing cut can be replayed.
 */
final class RandomlyCutInputStream extends FilterInputStream {
  private final Random random;
  private final int maxPerRead;

  RandomlyCutInputStream(byte[] bytes, long seed, int maxPerRead) {
    super(new ByteArrayInputStream(bytes));
    this.random = new Random(seed);
    this.maxPerRead = maxPerRead;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    return super.read(b, off, Math.min(len, 1 + random.nextInt(maxPerRead)));
  }

  @Override
  public int available() {
    return 0;
  }
}
