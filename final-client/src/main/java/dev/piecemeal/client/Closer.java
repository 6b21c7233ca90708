package dev.piecemeal.client;

import java.util.List;

/**
 * Closes the parts of a download in order, every one of them, even when an earlier part throws or
 * the closing thread is interrupted: a part left unclosed would leave its threads running after
 * {@code Download.run()} returned.
 *
 * <pre>
 * swarm.close()      throws      → remembered; the listener is still closed
 * listener.close()
 * hasher.close()     interrupted → remembered; the interrupt is cleared, so the announcer's
 * announcer.close()                 wait for its goodbye is a real wait, then set again at the end
 * </pre>
 *
 * Every part's close is bounded on its own, so an interrupt delays the end by at most those bounds.
 */
final class Closer {

  /** One part to close; its wait for its own threads is bounded. */
  @FunctionalInterface
  interface Part {
    void close() throws InterruptedException;
  }

  private Closer() {}

  /**
   * Closes each part in order. Afterwards the thread's interrupt status is set if it was set before
   * or any part was interrupted. The first part that failed is thrown, with later failures
   * suppressed in it; when {@code pending} (what ended the work before the closing began) is not
   * null, the failures are added to it instead, so that the first cause is the one reported.
   */
  static void closeInOrder(Throwable pending, List<Part> parts) {
    boolean interrupted = Thread.interrupted();
    RuntimeException failed = null;
    for (Part part : parts) {
      try {
        part.close();
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (RuntimeException e) {
        if (failed == null) {
          failed = e;
        } else {
          failed.addSuppressed(e);
        }
      }
      interrupted |= Thread.interrupted(); // cleared, so that the next part's wait really waits
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failed != null) {
      if (pending == null) {
        throw failed;
      }
      pending.addSuppressed(failed);
    }
  }
}
