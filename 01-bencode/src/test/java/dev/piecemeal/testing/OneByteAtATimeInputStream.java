package dev.piecemeal.testing;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;

/**
 * A stream that hands out at most one byte per read: what a peer's data looks like when it arrives
 * in the smallest TCP segments possible. Every reader in Piecemeal is tested over it, because
 * assuming that one read returns a whole message is the first bug of every peer-wire reader.
 */
public final class OneByteAtATimeInputStream extends FilterInputStream {

  public OneByteAtATimeInputStream(byte[] bytes) {
    super(new ByteArrayInputStream(bytes));
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    return super.read(b, off, Math.min(len, 1));
  }

  @Override
  public int available() {
    return 0;
  }
}
