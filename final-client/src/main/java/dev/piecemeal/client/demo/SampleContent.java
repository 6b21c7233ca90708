package dev.piecemeal.client.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * The demo's data: a small folder of files, nested, one of them empty, filled with pseudo-random
 * bytes that are the same on every machine, so that the same size always makes the same torrent
 * and the same info-hash.
 *
 * <pre>
 * piecemeal-demo/
 *   README.txt                what this folder is (a fixed text, 460 bytes)
 *   empty.txt                 0 bytes: a torrent lists empty files too, and a download creates them
 *   random/one.bin            half of the rest, and 1000 bytes more
 *   random/more/two.bin       a third of the rest
 *   random/more/three.bin     what is left
 * </pre>
 *
 * <p>No file is a multiple of a piece long, so pieces straddle files as they do in most real
 * torrents (chapter 7's {@code FileLayout}). The bytes come from {@link java.util.Random}, whose
 * algorithm its Javadoc specifies (a 48-bit linear congruential generator), seeded with the file's
 * number: unlike {@code SecureRandom} or {@code SplittableRandom}, every Java gives the same bytes.
 */
public final class SampleContent {
  /** The torrent's name, and the folder's. */
  public static final String NAME = "piecemeal-demo";
  /** The smallest size the demo makes: enough for every file to have bytes. */
  public static final long MIN_SIZE = 64 * 1024;
  /** The largest: the demo keeps two copies in a temporary folder, so 2 GiB at most. */
  public static final long MAX_SIZE = 1024L * 1024 * 1024;

  private static final String README = String.join("\n",
      "Piecemeal's demo data.",
      "",
      "`piecemeal demo` made this folder, made a torrent of it, and started a tracker",
      "and a few seeders of it on 127.0.0.1; a download then fetched it from them,",
      "piece by piece, and compared every byte with this copy.",
      "",
      "The .bin files hold pseudo-random bytes (java.util.Random, seeded with the",
      "file's number), the same on every machine: the same --size gives the same",
      "info-hash. empty.txt is empty on purpose: a torrent lists empty files too.",
      "");

  private final Path root;
  private final List<Path> files;
  private final long size;

  private SampleContent(Path root, List<Path> files, long size) {
    this.root = root;
    this.files = List.copyOf(files);
    this.size = size;
  }

  /**
   * Writes the sample folder, {@value #NAME}, inside {@code parent}, {@code size} bytes in all.
   * Files already there are overwritten with the same bytes.
   *
   * @throws IllegalArgumentException the size is outside {@link #MIN_SIZE} to {@link #MAX_SIZE}
   * @throws DemoException the disk refused a write
   */
  public static SampleContent write(Path parent, long size) throws DemoException {
    if (size < MIN_SIZE || size > MAX_SIZE) {
      throw new IllegalArgumentException("size " + size + " is not in " + MIN_SIZE + ".." + MAX_SIZE);
    }
    Path root = parent.resolve(NAME);
    byte[] readme = README.getBytes(StandardCharsets.UTF_8);
    long rest = size - readme.length;
    long one = rest / 2 + 1000;
    long two = rest / 3;
    long three = rest - one - two;
    List<Path> files = List.of(Path.of("README.txt"), Path.of("empty.txt"), Path.of("random", "one.bin"),
        Path.of("random", "more", "two.bin"), Path.of("random", "more", "three.bin"));
    try {
      Files.createDirectories(root.resolve("random").resolve("more"));
      Files.write(root.resolve("README.txt"), readme);
      Files.write(root.resolve("empty.txt"), new byte[0]);
      randomBytes(root.resolve(files.get(2)), one, 1);
      randomBytes(root.resolve(files.get(3)), two, 2);
      randomBytes(root.resolve(files.get(4)), three, 3);
    } catch (IOException e) {
      throw new DemoException("cannot write the sample data in " + root + ": " + e.getMessage(), e);
    }
    return new SampleContent(root, files, size);
  }

  /** {@code length} bytes of {@code new Random(seed)}, in one sequence however they are buffered. */
  private static void randomBytes(Path file, long length, long seed) throws IOException {
    Random random = new Random(seed);
    byte[] buffer = new byte[64 * 1024]; // a multiple of 4: nextBytes uses whole ints per call
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = length; left > 0; left -= buffer.length) {
        random.nextBytes(buffer);
        out.write(buffer, 0, (int) Math.min(buffer.length, left));
      }
    }
  }

  /** The folder, {@code …/piecemeal-demo}. */
  public Path root() {
    return root;
  }

  /** The files, relative to {@link #root}, in the order of the table above. */
  public List<Path> files() {
    return files;
  }

  /** Bytes in all the files together. */
  public long size() {
    return size;
  }
}
