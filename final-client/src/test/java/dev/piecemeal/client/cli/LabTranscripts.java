package dev.piecemeal.client.cli;

import dev.piecemeal.testing.ProjectRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chapters' "Try it" transcripts against {@code piecemeal demo --serve}, read from the
 * chapters themselves, and the one normalisation that makes two real runs comparable.
 *
 * <p>A chapter marks each such transcript with a comment before its fenced block:
 *
 * <pre>
 * &lt;!-- lab --&gt;                the lines must come in the order shown
 * &lt;!-- lab: any order --&gt;     each command's lines may come in any order (one thread per peer,
 *                             a tracker's random sample)
 * &lt;!-- lab: serve --&gt;         the output of demo --serve itself
 * </pre>
 *
 * In the block, {@code $ java -jar final-client/target/piecemeal.jar ARGS} (or {@code $ piecemeal
 * ARGS}) is a command, the lines after it are what it printed (stdout, then stderr), and {@code $
 * echo $?} followed by a number is its exit status. Arguments are separated by single spaces; an
 * argument in single quotes (a magnet link, whose {@code &} a shell would take) is taken without
 * them, and holds no space.
 */
final class LabTranscripts {
  private LabTranscripts() {}

  /** How a transcript's lines are compared. */
  enum Kind { IN_ORDER, ANY_ORDER, SERVE }

  /** One command of a transcript, what it printed, and its exit status when the chapter shows it. */
  record Command(List<String> args, List<String> output, OptionalInt exitCode) {}

  /** One marked block of a chapter. */
  record Transcript(String chapter, Kind kind, List<Command> commands) {
    /**
     * Whether a command of it waits for a seeder's unchoke (peers, download): up to one choking
     * round. A download from a magnet link runs on its own instead: it announces, and the tracker
     * would hand it to chapter 8's download as a peer, which that chapter's counts do not show.
     */
    boolean waitsForAnUnchoke() {
      return commands.stream().anyMatch(c -> !c.args().isEmpty()
          && (c.args().get(0).equals("peers") || c.args().get(0).equals("download"))
          && (c.args().size() < 2 || !c.args().get(1).startsWith("magnet:")));
    }
  }

  private static final Pattern BLOCK =
      Pattern.compile("<!-- lab(?:: (any order|serve))? -->\\R```\\w*\\R(.*?)```", Pattern.DOTALL);
  private static final List<String> LAUNCHERS = List.of("java -jar final-client/target/piecemeal.jar ", "piecemeal ");

  /** Every marked transcript of {@code docs/CHAPTER}, in the chapter's order. */
  static List<Transcript> of(String chapter) {
    String text;
    try {
      text = Files.readString(ProjectRoot.resolve("docs").resolve(chapter), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Transcript> transcripts = new ArrayList<>();
    Matcher block = BLOCK.matcher(text);
    while (block.find()) {
      Kind kind = block.group(1) == null ? Kind.IN_ORDER
          : block.group(1).equals("serve") ? Kind.SERVE : Kind.ANY_ORDER;
      transcripts.add(new Transcript(chapter, kind, commands(chapter, block.group(2))));
    }
    return transcripts;
  }

  private static List<Command> commands(String chapter, String block) {
    List<Command> commands = new ArrayList<>();
    List<String> args = null;
    List<String> output = new ArrayList<>();
    OptionalInt exit = OptionalInt.empty();
    String[] lines = block.split("\\R");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.equals("$ echo $?")) {
        exit = OptionalInt.of(Integer.parseInt(lines[++i].trim()));
      } else if (line.startsWith("$ ")) {
        if (args != null) {
          commands.add(new Command(args, output, exit));
        }
        args = arguments(chapter, line.substring(2));
        output = new ArrayList<>();
        exit = OptionalInt.empty();
      } else if (args != null) {
        output.add(line);
      }
    }
    if (args != null) {
      commands.add(new Command(args, output, exit));
    }
    return commands;
  }

  private static List<String> arguments(String chapter, String command) {
    for (String launcher : LAUNCHERS) {
      if (command.startsWith(launcher)) {
        return Arrays.stream(command.substring(launcher.length()).split(" "))
            .map(argument -> argument.length() > 1 && argument.startsWith("'") && argument.endsWith("'")
                ? argument.substring(1, argument.length() - 1) : argument)
            .toList();
      }
    }
    throw new IllegalArgumentException(chapter + ": a lab transcript runs only piecemeal commands and"
        + " 'echo $?', not: " + command);
  }

  /**
   * One line as two real runs print it alike: what varies from run to run (a peer id's random
   * bytes, a time, a rate, the port the download listens on, how many seeders sent a block that won
   * the race, the launcher) replaced by a name,
   * and the plain status lines, which print every 5 s and so a varying number of times, dropped
   * (null).
   */
  static String normalise(String line) {
    if (STATUS.matcher(line).matches()) {
      return null;
    }
    String normal = line;
    for (String launcher : LAUNCHERS) {
      normal = normal.replace(launcher, "piecemeal ");
    }
    normal = PEER_ID.matcher(normal).replaceAll("-PM0100-<random>");
    normal = PEER_ID_HEX.matcher(normal).replaceAll("2d 50 4d 30 31 30 30 2d <random>");
    normal = RATE.matcher(normal).replaceAll("<rate>");
    normal = TIME.matcher(normal).replaceAll("in <time>");
    normal = LISTENING.matcher(normal).replaceAll("listening on $1:<port>");
    normal = DHT_NODE.matcher(normal).replaceAll("dht node on $1:<port>");
    normal = PEERS_USED.matcher(normal).replaceAll("from <n> peers; every piece verified");
    normal = EXTENDED_SIZE.matcher(normal).replaceAll("$1<n> bytes");
    normal = LISTEN_PORT.matcher(normal).replaceAll("p: <port>");
    normal = VERSION.matcher(normal).replaceAll("v: \"Piecemeal <version>\"");
    return normal;
  }

  /**
   * {@code   0.0%  0 B of 8.0 MiB  0 B/s  peers 3 (0 unchoking)  ETA --:--}: StatusLine's plain
   * line; and its metadata phase's, {@code fetching metadata  peers 3 (3 offer it, 1 asked)  pieces 0 of 1}.
   */
  private static final Pattern STATUS = Pattern.compile("\\s*\\d+\\.\\d%  .*  ETA \\S+|fetching metadata  peers .*");
  /** Our peer id: {@code -PM0100-} and 12 random bytes, each printable or {@code %XX}. */
  private static final Pattern PEER_ID = Pattern.compile("-PM0100-(?:%[0-9A-F]{2}|[\\x20-\\x7e]){12}");
  private static final Pattern PEER_ID_HEX = Pattern.compile("2d 50 4d 30 31 30 30 2d(?: [0-9a-f]{2}){12}");
  private static final Pattern RATE = Pattern.compile("\\d+(?:\\.\\d)? (?:B|KiB|MiB|GiB)/s");
  private static final Pattern TIME = Pattern.compile("in \\d+(?:\\.\\d)? s\\b|in \\d+:\\d\\d\\b");
  private static final Pattern LISTENING = Pattern.compile("listening on (\\S+):\\d+");
  /** Our DHT node's UDP port: any free one (chapter 12). */
  private static final Pattern DHT_NODE = Pattern.compile("dht node on (\\S+):\\d+");
  /**
   * An extended handshake in a trace: its size, its {@code p} and its {@code v} vary (a test run's
   * seeders listen on ephemeral ports, and a build without a jar says "(development build)" where
   * the jar says 0.1.0).
   */
  private static final Pattern EXTENDED_SIZE = Pattern.compile("(extended id 0 \\(handshake\\), )\\d+ bytes");
  private static final Pattern LISTEN_PORT = Pattern.compile("\\bp: \\d+");
  private static final Pattern VERSION = Pattern.compile("v: \"Piecemeal [^\"]*\"");
  /** {@code done: …, from 3 peers; every piece verified}: a seeder whose every block lost the endgame's race is not counted. */
  private static final Pattern PEERS_USED = Pattern.compile("from \\d+ peers?; every piece verified");

  /** Every line normalised, the dropped ones left out; sorted too when the order may vary. */
  static List<String> normalised(List<String> lines, boolean anyOrder) {
    List<String> normal = new ArrayList<>();
    for (String line : lines) {
      String n = normalise(line);
      if (n != null) {
        normal.add(n);
      }
    }
    if (anyOrder) {
      normal.sort(null);
    }
    return normal;
  }

  /** The lines of a run's stdout then its stderr. */
  static List<String> lines(CliRunner.Result result) {
    List<String> lines = new ArrayList<>(result.out().isEmpty() ? List.of() : Arrays.asList(result.out().split("\\R")));
    lines.addAll(result.errLines());
    return lines;
  }
}
