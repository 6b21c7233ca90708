package dev.piecemeal.client.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.client.Download;
import dev.piecemeal.client.DownloadOptions;
import dev.piecemeal.client.DownloadResult;
import dev.piecemeal.client.TestData;
import dev.piecemeal.client.TestSeeder;
import dev.piecemeal.client.TestSeeder.Behaviour;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manual measurement for chapter 8, not a test: how the pipeline depth changes the rate of one
 * download from one in-process seeder, with a fixed depth of 5 and with the adaptive depth, from a
 * seeder next door (loopback) and from one "10 ms away" (it answers each request 10 ms late).
 * It lives with the JMH benchmarks, compiled only with {@code -Pbenchmarks}, and runs only when
 * named ({@code -Dexec.skip} skips the JMH run that the profile starts first):
 *
 * <pre>
 * mvn -pl final-client -am -Pbenchmarks verify -Dexec.skip -Dtest=PipelineDepthMeasurement \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dpiecemeal.measure=true
 * </pre>
 *
 * <p>What could fool it: the seeder runs in the same JVM on the same 2 cores as the downloader, so
 * the loopback numbers measure the machine as much as the protocol; the first run of each pays for
 * the JIT (a warm-up run is made first); the disk is the page cache. The rates are best of 3.
 */
class PipelineDepthMeasurement {
  @TempDir Path folder;

  @Test
  void compareFixedAndAdaptiveDepth() throws Exception {
    Assumptions.assumeTrue(Boolean.getBoolean("piecemeal.measure"), "run with -Dpiecemeal.measure=true");
    byte[] data = TestData.bytes(Integer.getInteger("piecemeal.measure.mib", 128) * 1024 * 1024, 42);
    Metainfo metainfo = TestData.singleFile("measure.bin", data, 256 * 1024, null);
    StringBuilder report = new StringBuilder();
    run(metainfo, data, Behaviour.NORMAL, 0); // warm-up
    for (Behaviour where : List.of(Behaviour.NORMAL, Behaviour.DISTANT)) {
      for (int depth : new int[] {5, 0}) {
        double best = 0;
        for (int i = 0; i < 3; i++) {
          best = Math.max(best, run(metainfo, data, where, depth));
        }
        report.append(String.format(Locale.ROOT, "%-8s %-9s %8.1f MiB/s%n",
            where == Behaviour.NORMAL ? "loopback" : "10 ms", depth == 0 ? "adaptive" : "fixed " + depth,
            best / (1024 * 1024)));
      }
    }
    System.out.print(report);
    Files.writeString(Path.of("target", "pipeline-depth.txt"), report);
  }

  private double run(Metainfo metainfo, byte[] data, Behaviour where, int depth) throws Exception {
    Path out = Files.createTempDirectory(folder, "run");
    try (TestSeeder seeder = TestSeeder.start(metainfo, data, where)) {
      DownloadOptions options = DownloadOptions.builder(out)
          .listen(InetAddress.getLoopbackAddress(), 0)
          .extraPeers(List.of(seeder.address()))
          .fixedPipelineDepth(depth).build();
      DownloadResult result = new Download(metainfo, options).run();
      assertThat(result.complete()).isTrue();
      return result.averageBytesPerSecond();
    } finally {
      Files.deleteIfExists(out.resolve("measure.bin"));
    }
  }
}
