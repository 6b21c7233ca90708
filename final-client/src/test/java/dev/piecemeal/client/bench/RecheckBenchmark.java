package dev.piecemeal.client.bench;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.client.TestData;
import dev.piecemeal.storage.Recheck;
import dev.piecemeal.storage.RecheckResult;
import dev.piecemeal.storage.TorrentStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * How long chapter 7's {@link Recheck} takes over a 64 MiB file on disk in pieces of 16 KiB to
 * 4 MiB, all of them good, with one thread and with two: what {@code piecemeal verify} and a
 * resumed {@code download} spend before anything else, and how well hashing spreads over threads
 * (64 MiB over the time is the rate; two threads should take half the time of one). Each call reads every piece in chunks and hashes
 * it, starting and stopping its threads as a real run does.
 *
 * <p>What could fool it: the file was just written, so every read comes from the operating
 * system's page cache, not from the disk: this is hashing plus copying from memory, the best case.
 * A cold recheck of a large torrent is bounded by the disk instead (drop the caches as root,
 * {@code echo 3 > /proc/sys/vm/drop_caches}, to see it; this benchmark does not). The result is
 * returned, so the JIT cannot drop the work, and the setup checks that every piece verifies, so
 * the benchmark never measures the cheaper path of a missing file. Two threads on a 2-core machine
 * share it with JMH and the JVM's own threads.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class RecheckBenchmark {
  private static final int FILE_LENGTH = 64 * 1024 * 1024;

  @Param({"1", "2"})
  public int threads;

  @Param({"16384", "262144", "1048576", "4194304"})
  public int pieceLength;

  private Path folder;
  private TorrentStorage storage;

  @Setup
  public void writeTheFile() throws Exception {
    folder = Files.createTempDirectory("piecemeal-recheck-bench");
    byte[] data = TestData.bytes(FILE_LENGTH, 7);
    Metainfo metainfo = TestData.singleFile("recheck.bin", data, pieceLength, null);
    Files.write(folder.resolve("recheck.bin"), data);
    storage = TorrentStorage.openForReading(metainfo, folder);
    if (!Recheck.run(storage, threads, (checked, total) -> {}).isComplete()) {
      throw new IllegalStateException("the benchmark's file does not verify: it would measure failures");
    }
  }

  @Benchmark
  public RecheckResult recheck() throws Exception {
    return Recheck.run(storage, threads, (checked, total) -> {});
  }

  @TearDown
  public void deleteTheFile() throws Exception {
    storage.close();
    Files.deleteIfExists(folder.resolve("recheck.bin"));
    Files.deleteIfExists(folder);
  }
}
