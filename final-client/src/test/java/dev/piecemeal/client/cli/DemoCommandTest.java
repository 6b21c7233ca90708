package dev.piecemeal.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code piecemeal demo} in-process: a tracker, seeders and a download on 127.0.0.1, free ports. */
class DemoCommandTest {
  private static final Pattern FOLDER = Pattern.compile("(?:removed|kept) (\\S+?)(?::| )");

  @TempDir Path folder;

  /** Two demos at once, one with --keep: each on its own free ports, neither sees the other. */
  @Test
  void downloadsFromItsOwnSwarmComparesEveryByteAndCleansUp() throws Exception {
    Set<Thread> before = liveThreads();

    CompletableFuture<CliRunner.Result> kept =
        CompletableFuture.supplyAsync(() -> CliRunner.run("demo", "--size", "1M", "--seeders", "2", "--keep"));
    CliRunner.Result result = CliRunner.run("demo", "--size", "1M", "--seeders", "2");
    CliRunner.Result keptResult = kept.get();
    try {
      assertThat(result.err()).isEmpty();
      assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
      List<String> lines = result.out().lines().toList();
      assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("tracker on 127.0.0.1:"))
          .anySatisfy(line -> assertThat(line).matches("2 seeders on 127\\.0\\.0\\.1:\\d+, 127\\.0\\.0\\.1:\\d+, each announced"))
          // one seeder or both: which unchokes first, and whose blocks win the endgame, is a race
          .anySatisfy(line -> assertThat(line).matches("done: 1\\.0 MiB in .*, from [12] peers?; every piece verified"))
          .contains("verified: the 5 files are byte for byte the originals (1,048,576 bytes)")
          .anySatisfy(line -> assertThat(line).matches("seeder 1 on 127\\.0\\.0\\.1:\\d+ sent .*"))
          .anySatisfy(line -> assertThat(line).matches("seeder 2 on 127\\.0\\.0\\.1:\\d+ sent .*"));
      Path removed = folderNamedIn(result.out());
      assertThat(lines.get(lines.size() - 1)).isEqualTo("removed " + removed + " (--keep keeps it)");
      assertThat(removed).doesNotExist();

      assertThat(keptResult.exitCode()).as(keptResult.err()).isEqualTo(ExitCodes.OK);
      Path left = folderNamedIn(keptResult.out());
      assertThat(left).isNotEqualTo(removed);
      assertThat(left.resolve("demo.torrent")).isRegularFile();
      assertThat(left.resolve("download/piecemeal-demo/random/one.bin")).isRegularFile();
    } finally {
      Matcher named = FOLDER.matcher(keptResult.out());
      if (named.find()) {
        deleteRecursively(Path.of(named.group(1))); // kept, as asked: the test removes it
      }
    }

    List<String> running = liveThreads().stream().filter(thread -> !before.contains(thread))
        // one daemon for the whole JVM, started by the first connection that writes (chapter 3)
        .filter(thread -> !thread.getName().equals("peer-write-watchdog"))
        // the JDK's HTTP client behind chapter 2's HttpTrackerClient: Java 17's HttpClient has no
        // close(), and its daemon threads end when the client is garbage-collected
        .filter(thread -> !(thread.getName().startsWith("HttpClient-") && thread.isDaemon()))
        .map(Thread::getName).toList();
    assertThat(running).as("threads the demos started and left running").isEmpty();
  }

  @Test
  void aTakenTrackerPortIsOneErrorLineThatSaysWhichAndWhatToDo(@TempDir Path lab) throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));

      CliRunner.Result result = CliRunner.run("demo", "--serve", "--dir", lab.toString(),
          "--tracker-port", String.valueOf(taken.getLocalPort()), "--seeder-port", "0");

      assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
      assertThat(result.errLines()).singleElement().asString()
          .startsWith("error: port " + taken.getLocalPort() + " (the tracker, TCP and UDP) is taken: ")
          .endsWith("; stop what uses it, or choose other ports with --tracker-port and --seeder-port");
    }
  }

  @Test
  void aTakenSeederPortIsNamedBeforeAnythingStarts(@TempDir Path lab) throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));

      CliRunner.Result result = CliRunner.run("demo", "--serve", "--dir", lab.toString(),
          "--tracker-port", "0", "--seeder-port", String.valueOf(taken.getLocalPort()));

      assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
      assertThat(result.errLines()).singleElement().asString()
          .startsWith("error: port " + taken.getLocalPort() + " (seeder 1) is taken: ");
      assertThat(result.out()).as("nothing started, so nothing to tell").isEmpty();
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--size 12                 | error: --size 12 is not in 64K..1024M",
      "--size 2G                 | error: --size 2G is not a number of bytes (like 1048576, 512K or 8M)",
      "--seeders 0               | error: --seeders 0 is not in 1..10",
      "--tracker-port 70000      | error: --tracker-port 70000 is not in 0..65535",
      "--serve --keep            | error: --keep goes without --serve: --serve always keeps its folder",
      "--dir /tmp/x              | error: --dir goes with --serve: the demo alone works in a temporary folder it removes",
  })
  void aBadOptionIsBadInputInOneLine(String options, String error) {
    CliRunner.Result result = CliRunner.run(("demo " + options.strip()).split(" +"));

    assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.errLines()).containsExactly(error);
  }

  @Test
  void refusesToServeFromAFolderThatHoldsSomethingElse() throws Exception {
    Files.writeString(folder.resolve("notes.txt"), "mine");

    CliRunner.Result result = CliRunner.run("demo", "--serve", "--dir", folder.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.errLines()).containsExactly("error: --dir " + folder
        + " is neither empty nor a demo folder (it has no demo.torrent); choose another with --dir");
    assertThat(folder.resolve("notes.txt")).hasContent("mine");
  }

  private static Path folderNamedIn(String out) {
    Matcher matcher = FOLDER.matcher(out);
    assertThat(matcher.find()).as("the demo names its folder:\n" + out).isTrue();
    return Path.of(matcher.group(1));
  }

  private static Set<Thread> liveThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).collect(Collectors.toSet());
  }

  private static void deleteRecursively(Path folder) throws Exception {
    if (!Files.exists(folder)) {
      return;
    }
    try (var walk = Files.walk(folder)) {
      for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
