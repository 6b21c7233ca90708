package dev.piecemeal.client;

import dev.piecemeal.client.magnet.MetadataFetch;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The download's progress for a person: on a terminal, one line redrawn in place; anywhere else
 * (a pipe, a CI log), a plain line every few seconds, with no control characters.
 *
 * <pre>
 * [##########----------]  50.0%  1.5 MiB of 3.0 MiB  12.3 MiB/s  peers 6 (4 unchoking)  ETA 0:02
 * seeding  peers 6 (3 interested, 3 unchoked)  up 2.1 MiB/s  uploaded 45.0 MiB  ratio 15.00
 * </pre>
 *
 * <p>With the DHT on, either line ends with what it holds and found: {@code  dht 37 nodes, 2 peers}.
 *
 * <p>The first while downloading ({@link #show}); the second once every piece is here and we only
 * give back ({@link #showSeeding}): who is connected, who wants our data, who holds an upload slot,
 * the upload rate, and what went out, also as a ratio to the torrent's size.
 *
 * <p>A log line carries strangers' words (a tracker's {@code failure reason}, a UDP tracker's error
 * text, the torrent's name in the first line): {@link #log} prints it through {@link
 * Printable#oneLine}, so an escape sequence in it is shown ({@code \x1b[2J}), not obeyed, and a
 * carriage return cannot overwrite the line. The status line itself is made of numbers only.
 *
 * <p>Thread-safe: the status thread draws, the engine's threads log; each call holds the lock for
 * one write.
 */
public final class StatusLine {
  private static final int BAR = 20;
  private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB"};

  private final PrintWriter out;
  private final boolean terminal;
  private boolean drawn;

  /**
   * @param terminal redraw one line with a carriage return; false for one plain line per call
   */
  public StatusLine(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  /** Whether this status line redraws in place. */
  public boolean isTerminal() {
    return terminal;
  }

  /** Shows the download's state: redraws the line on a terminal, prints a new line otherwise. */
  public synchronized void show(Progress.Snapshot status) {
    draw(render(status, terminal));
  }

  /** Shows the seeding state, the same way. */
  public synchronized void showSeeding(Progress.Snapshot status) {
    draw(renderSeeding(status));
  }

  /** Shows the download's state, and the DHT's when it is on. */
  public synchronized void show(Progress.Snapshot status, Optional<DhtStatus> dht) {
    draw(render(status, terminal) + dht.map(StatusLine::renderDht).orElse(""));
  }

  /** Shows the seeding state, and the DHT's when it is on. */
  public synchronized void showSeeding(Progress.Snapshot status, Optional<DhtStatus> dht) {
    draw(renderSeeding(status) + dht.map(StatusLine::renderDht).orElse(""));
  }

  /** The DHT's part of a status line: {@code   dht 37 nodes, 2 peers}. */
  public static String renderDht(DhtStatus dht) {
    return "  dht " + dht.nodes() + (dht.nodes() == 1 ? " node, " : " nodes, ") + dht.peersFound()
        + (dht.peersFound() == 1 ? " peer" : " peers");
  }

  /** Shows a magnet link's metadata phase (chapter 10), the same way, and the DHT's when it is on. */
  public synchronized void showMetadata(MetadataFetch.Status status, Optional<DhtStatus> dht) {
    draw(renderMetadata(status) + dht.map(StatusLine::renderDht).orElse(""));
  }

  private void draw(String line) {
    if (terminal) {
      out.print("\r" + line + "\u001b[K");
      drawn = true;
    } else {
      out.println(line);
    }
    out.flush();
  }

  /**
   * A line of its own (a tracker's answer, a ban), above the status line on a terminal; its
   * control characters shown as escapes, so that it stays one line and changes nothing else.
   */
  public synchronized void log(String line) {
    if (terminal && drawn) {
      out.print("\r\u001b[K");
      drawn = false;
    }
    out.println(Printable.oneLine(line));
    out.flush();
  }

  /** Ends the status line, so what follows starts on a line of its own. */
  public synchronized void finish() {
    if (terminal && drawn) {
      out.println();
      drawn = false;
    }
    out.flush();
  }

  /** The status as text; with {@code bar}, a progress bar first. */
  public static String render(Progress.Snapshot status, boolean bar) {
    StringBuilder line = new StringBuilder();
    double percent = status.percent();
    if (bar) {
      int filled = (int) Math.floor(percent / 100 * BAR);
      line.append('[').append("#".repeat(filled)).append("-".repeat(BAR - filled)).append("]  ");
    }
    line.append(String.format(Locale.ROOT, "%5.1f%%  %s of %s  %s/s  peers %d (%d unchoking)  ETA %s",
        percent, size(status.bytesDone()), size(status.totalLength()), size((long) status.bytesPerSecond()),
        status.peersConnected(), status.peersUnchoking(), status.eta().map(StatusLine::clock).orElse("--:--")));
    return line.toString();
  }

  /** The seeding status as text: peers, interested, unchoked, upload rate, uploaded, ratio. */
  public static String renderSeeding(Progress.Snapshot status) {
    return String.format(Locale.ROOT, "seeding  peers %d (%d interested, %d unchoked)  up %s/s  uploaded %s  ratio %.2f",
        status.peersConnected(), status.peersInterested(), status.peersUnchokedByUs(),
        size((long) status.uploadBytesPerSecond()), size(status.bytesUploaded()), status.ratio());
  }

  /**
   * The metadata phase as text: {@code fetching metadata  peers 3 (2 offer it, 2 asked)  pieces 1 of 3};
   * pieces {@code ?} until a peer has said how large the metadata is.
   */
  public static String renderMetadata(MetadataFetch.Status status) {
    return String.format(Locale.ROOT, "fetching metadata  peers %d (%d offer it, %d asked)  pieces %s",
        status.connected(), status.offering(), status.asked(),
        status.pieceCount() == 0 ? "?" : status.piecesIn() + " of " + status.pieceCount());
  }

  /** Binary units with one decimal: {@code 24.6 KiB}; bytes below 1 KiB as {@code 512 B}. */
  public static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
  }

  /** {@code 0:07}, {@code 12:30}, {@code 2:05:00}. */
  public static String clock(Duration duration) {
    long s = duration.toSeconds();
    return s >= 3600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
