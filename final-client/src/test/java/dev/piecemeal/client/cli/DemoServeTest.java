package dev.piecemeal.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.client.cli.LabTranscripts.Command;
import dev.piecemeal.client.cli.LabTranscripts.Kind;
import dev.piecemeal.client.cli.LabTranscripts.Transcript;
import dev.piecemeal.testing.ProjectRoot;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@code piecemeal demo --serve} on free ports, and every chapter's JDK-only "Try it" run against
 * it in-process: each transcript a chapter marks {@code <!-- lab -->} is run command by command and
 * its output compared with the chapter's, through {@link LabTranscripts#normalise} for what varies
 * between runs. The chapters use the lab's fixed ports (6969, 6891…) and folder
 * ({@code /tmp/piecemeal-demo}); the test maps them to the ports and folder it got.
 *
 * <p>Transcripts with a command that waits for a seeder's unchoke ({@code peers}, {@code download})
 * run together, after the others: a seeder unchokes a new peer at its next choking round, every
 * 10 s, and together they share one round instead of waiting for one each. The others run one at a
 * time, in chapter order, because each changes what the tracker hands out while it runs (a
 * {@code handshake} without peers announces itself); the ones that run together name their peers,
 * or are the one {@code download}, so none of them changes what another sees.
 */
class DemoServeTest {
  private static final Path DOC_FOLDER = Path.of("/tmp/piecemeal-demo");
  private static final int DOC_TRACKER_PORT = DemoCommand.SERVE_TRACKER_PORT;
  private static final int DOC_FIRST_SEEDER_PORT = DemoCommand.SERVE_SEEDER_PORT;

  @TempDir static Path temporary;
  private static Path lab;
  private static final Output output = new Output();
  private static Thread serving;
  private static volatile int serveExit = -1;
  private static int trackerPort;
  private static final List<Integer> seederPorts = new ArrayList<>();
  private static final Map<String, List<String>> problems = new ConcurrentHashMap<>();

  static Stream<String> chapters() {
    return Stream.of("02-tracker.md", "03-peers.md", "04-handshake.md", "05-messages.md", "06-bitfield.md",
        "07-storage.md", "08-final-client.md", "10-magnet.md");
  }

  @BeforeAll
  static void startTheLabAndRunEveryTranscript() throws Exception {
    lab = temporary.resolve("lab");
    CommandLine command = Main.commandLine();
    command.setOut(new PrintWriter(output, true));
    command.setErr(new PrintWriter(output, true));
    serving = new Thread(() -> serveExit = command.execute("demo", "--serve", "--dir", lab.toString(),
        "--tracker-port", "0", "--seeder-port", "0"), "test-lab");
    serving.start();
    String printed = output.awaitLine("  chapter 10:", Duration.ofSeconds(60), serving); // the last line it prints
    readPorts(printed);

    List<Transcript> together = new ArrayList<>();
    for (String chapter : chapters().toList()) {
      problems.put(chapter, new ArrayList<>());
      for (Transcript transcript : LabTranscripts.of(chapter)) {
        if (transcript.kind() == Kind.SERVE) {
          problems.get(chapter).addAll(compareWithTheLab(transcript));
        } else if (transcript.waitsForAnUnchoke()) {
          together.add(transcript);
        } else {
          problems.get(chapter).addAll(run(transcript));
        }
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, together.size()));
    try {
      List<Future<List<String>>> runs = new ArrayList<>();
      for (Transcript transcript : together) {
        runs.add(pool.submit(() -> run(transcript)));
      }
      for (int i = 0; i < runs.size(); i++) {
        problems.get(together.get(i).chapter()).addAll(runs.get(i).get(90, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @AfterAll
  static void stopTheLab() throws InterruptedException {
    if (serving != null) {
      serving.interrupt();
      serving.join(TimeUnit.SECONDS.toMillis(40));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("chapters")
  void eachChapterShowsWhatItsTryItPrintsAgainstTheLab(String chapter) {
    assertThat(LabTranscripts.of(chapter)).as(chapter + " has a JDK-only Try it").isNotEmpty();
    assertThat(problems.get(chapter)).as("where " + chapter + " differs from a real run").isEmpty();
  }

  @Test
  void theLabStopsWhenAskedAndSaysWhatEachSeederSent() throws Exception {
    Thread lab = serving;
    lab.interrupt();
    lab.join(TimeUnit.SECONDS.toMillis(40));

    assertThat(lab.isAlive()).as("the lab's thread ended").isFalse();
    assertThat(serveExit).isEqualTo(ExitCodes.OK);
    assertThat(output.text()).contains("seeder 1 on 127.0.0.1:", "seeder 3 on 127.0.0.1:")
        .contains("stopped; " + DemoServeTest.lab + " stays");
    assertThat(Files.exists(DemoServeTest.lab.resolve("demo.torrent"))).isTrue();
  }

  /** The lab's own output, up to its list of commands, against the chapter's {@code lab: serve} block. */
  private static List<String> compareWithTheLab(Transcript transcript) {
    List<String> expected = transcript.commands().get(0).output();
    List<String> printed = List.of(output.text().split("\\R"));
    List<String> actual = printed.subList(0, Math.min(expected.size(), printed.size())).stream()
        .map(DemoServeTest::asTheChapterWouldShowIt).toList();
    return compare(transcript, "demo --serve", LabTranscripts.normalised(expected, false),
        LabTranscripts.normalised(actual, false));
  }

  /** Each command of the transcript, run and compared; the problems found, none when all match. */
  private static List<String> run(Transcript transcript) {
    List<String> found = new ArrayList<>();
    for (Command command : transcript.commands()) {
      List<String> args = command.args().stream().map(DemoServeTest::forThisLab).collect(ArrayList::new,
          ArrayList::add, ArrayList::addAll);
      if (args.get(0).equals("download") && !args.contains("--port")) {
        args.addAll(List.of("--port", "0")); // a reader's download listens on 6881; a test takes any free port
      }
      CliRunner.Result result = CliRunner.run(args.toArray(String[]::new));
      List<String> actual = LabTranscripts.lines(result).stream().map(DemoServeTest::asTheChapterWouldShowIt).toList();
      boolean anyOrder = transcript.kind() == Kind.ANY_ORDER;
      found.addAll(compare(transcript, String.join(" ", command.args()),
          LabTranscripts.normalised(command.output(), anyOrder), LabTranscripts.normalised(actual, anyOrder)));
      boolean showsAnError = command.output().stream().anyMatch(line -> line.startsWith("error: "));
      if (command.exitCode().isPresent() ? result.exitCode() != command.exitCode().getAsInt()
          : showsAnError == (result.exitCode() == ExitCodes.OK)) {
        found.add(transcript.chapter() + ": " + String.join(" ", command.args()) + " exited with "
            + result.exitCode() + ", not as shown");
      }
    }
    return found;
  }

  private static List<String> compare(Transcript transcript, String command, List<String> expected, List<String> actual) {
    if (expected.equals(actual)) {
      return List.of();
    }
    return List.of(transcript.chapter() + ": " + command + " shows\n  " + String.join("\n  ", expected)
        + "\nbut a real run printed\n  " + String.join("\n  ", actual));
  }

  /** A chapter's argument for the lab this test started: its folder, its seeders' ports, the project's files. */
  private static String forThisLab(String argument) {
    String mapped = argument.replace(DOC_FOLDER.toString(), lab.toString())
        .replace("127.0.0.1:" + DOC_TRACKER_PORT + "/", "127.0.0.1:" + trackerPort + "/"); // a magnet link's tr
    Matcher seeder = Pattern.compile("127\\.0\\.0\\.1:(\\d+)").matcher(mapped);
    if (seeder.matches()) {
      int index = Integer.parseInt(seeder.group(1)) - DOC_FIRST_SEEDER_PORT;
      if (index >= 0 && index < seederPorts.size()) {
        return "127.0.0.1:" + seederPorts.get(index);
      }
    }
    if (!mapped.startsWith("-") && !mapped.startsWith("/") && Files.exists(ProjectRoot.resolve(mapped))) {
      return ProjectRoot.resolve(mapped).toString();
    }
    return mapped;
  }

  /** A line this test's lab printed, with the lab's folder and ports as the chapters have them. */
  private static String asTheChapterWouldShowIt(String line) {
    String shown = line;
    try {
      shown = shown.replace(lab.toRealPath().toString(), DOC_FOLDER.toString());
    } catch (IOException e) {
      // not created yet: nothing printed can name its real path
    }
    shown = shown.replace(lab.toString(), DOC_FOLDER.toString());
    shown = shown.replace(ProjectRoot.path() + "/", "");
    shown = port(shown, trackerPort, DOC_TRACKER_PORT);
    for (int i = 0; i < seederPorts.size(); i++) {
      shown = port(shown, seederPorts.get(i), DOC_FIRST_SEEDER_PORT + i);
    }
    return shown;
  }

  private static String port(String line, int actual, int shown) {
    return line.replaceAll("127\\.0\\.0\\.1:" + actual + "(?!\\d)", "127.0.0.1:" + shown);
  }

  private static void readPorts(String printed) {
    Matcher tracker = Pattern.compile("tracker on 127\\.0\\.0\\.1:(\\d+)").matcher(printed);
    assertThat(tracker.find()).as("the lab names its tracker's port:\n" + printed).isTrue();
    trackerPort = Integer.parseInt(tracker.group(1));
    Matcher seeders = Pattern.compile("seeders on (.*), each announced").matcher(printed);
    assertThat(seeders.find()).as("the lab names its seeders:\n" + printed).isTrue();
    for (String address : seeders.group(1).split(", ")) {
      seederPorts.add(Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)));
    }
  }

  /** Text a command prints, which a test can wait for while the command still runs. */
  private static final class Output extends Writer {
    private final StringBuilder text = new StringBuilder();

    @Override
    public synchronized void write(char[] chars, int offset, int length) {
      text.append(chars, offset, length);
      notifyAll();
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    synchronized String text() {
      return text.toString();
    }

    private boolean hasLine(String start) {
      int at = text.indexOf("\n" + start);
      return at >= 0 && text.indexOf("\n", at + 1) >= 0;
    }

    /**
     * Everything printed once a whole line starting with {@code start} is; fails after {@code
     * timeout}, or as soon as {@code printer} has ended without printing it.
     */
    synchronized String awaitLine(String start, Duration timeout, Thread printer) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!hasLine(start)) {
        long left = deadline - System.nanoTime();
        assertThat(left > 0 && printer.isAlive()).as("the lab printed a line '" + start + "…' within "
            + timeout.toSeconds() + " s; it printed:\n" + text).isTrue();
        TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
      }
      return text.toString();
    }
  }
}
