package dev.piecemeal.client.cli;

import dev.piecemeal.client.DownloadResult;
import dev.piecemeal.client.StatusLine;
import dev.piecemeal.client.demo.Demo;
import dev.piecemeal.client.demo.DemoException;
import dev.piecemeal.client.demo.DemoLab;
import dev.piecemeal.client.demo.SampleContent;
import dev.piecemeal.tracker.PeerAddress;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code piecemeal demo}: a whole swarm on 127.0.0.1, in this one process, with nothing but a JDK
 * ({@link Demo}): sample data, its torrent, the teaching tracker, a few seeders, a verified
 * download, who sent what, and everything removed again.
 *
 * <p>{@code piecemeal demo --serve} starts the same swarm on fixed ports ({@link DemoLab}) and
 * leaves it running until Ctrl-C, printing the command each chapter's "Try it" runs against it:
 *
 * <pre>
 * tracker on 127.0.0.1:6969, over HTTP and UDP
 * 3 seeders on 127.0.0.1:6891, 127.0.0.1:6892, 127.0.0.1:6893, each announced
 * chapter 2:  java -jar final-client/target/piecemeal.jar announce /tmp/piecemeal-demo/demo.torrent
 * </pre>
 *
 * Exit status 0 when the demo finished (or the lab was stopped), 1 when it could not finish (a
 * port taken, a seeder that did not start, a download that failed), 2 for a bad option, 130 when
 * Ctrl-C stopped the one-shot demo.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {
        "Download sample data from a tracker and seeders this command starts on 127.0.0.1, then check"
            + " every byte; with --serve, leave that swarm running for the book's 'Try it' commands.",
    },
    footer = {
        "",
        "Ports:",
        "  Without --serve, any free ports. With --serve, the tracker on 6969 (TCP and UDP)",
        "  and the seeders on 6891, 6892, ...: outside 6881-6889, where a client (this one",
        "  too) listens and announces by default, so that a reader's own commands on their",
        "  default ports do not collide with the lab.",
    })
final class DemoCommand implements Callable<Integer> {
  /** The lab's tracker port with --serve: opentracker's, and the one the sample torrent names. */
  static final int SERVE_TRACKER_PORT = 6969;
  /** The first seeder's port with --serve. */
  static final int SERVE_SEEDER_PORT = 6891;
  /** How often --serve checks that every seeder still seeds. */
  private static final long CHECK_EVERY_MILLIS = 1000;

  @Spec CommandSpec spec;

  @Option(names = "--size", paramLabel = "SIZE", defaultValue = "8M",
      description = "how much sample data: bytes, or K/M after the number, 64K to 1024M (default: ${DEFAULT-VALUE})")
  String size;

  @Option(names = "--seeders", paramLabel = "N", defaultValue = "3",
      description = "how many seeders, 1 to 10 (default: ${DEFAULT-VALUE})")
  int seeders;

  @Option(names = "--keep", description = "keep the temporary folder, and say where it is")
  boolean keep;

  @Option(names = "--serve", description = "start the swarm and leave it running until Ctrl-C")
  boolean serve;

  @Option(names = "--dir", paramLabel = "DIR",
      description = "with --serve: the folder for the torrent and its data, kept afterwards"
          + " (default: piecemeal-demo in the system's temporary folder)")
  Path dir;

  @Option(names = "--tracker-port", paramLabel = "N",
      description = "the tracker's port, TCP and UDP (default: 6969 with --serve, any free one without; 0: any)")
  Integer trackerPort;

  @Option(names = "--seeder-port", paramLabel = "N",
      description = "the first seeder's port, the others after it (default: 6891 with --serve, any free"
          + " ones without; 0: any)")
  Integer seederPort;

  @Override
  public Integer call() throws CommandException, InterruptedException {
    long bytes = checkedSize();
    OptionChecks.inRange("--seeders", seeders, 1, 10);
    int tracker = trackerPort != null ? trackerPort : serve ? SERVE_TRACKER_PORT : 0;
    int seeder = seederPort != null ? seederPort : serve ? SERVE_SEEDER_PORT : 0;
    OptionChecks.inRange("--tracker-port", tracker, 0, 65535);
    OptionChecks.inRange("--seeder-port", seeder, 0, 65535 - seeders + 1);
    if (serve && keep) {
      throw new CommandException(ExitCodes.BAD_INPUT, "--keep goes without --serve: --serve always keeps its folder");
    }
    if (!serve && dir != null) {
      throw new CommandException(ExitCodes.BAD_INPUT, "--dir goes with --serve: the demo alone works in a"
          + " temporary folder it removes");
    }
    try {
      return serve
          ? serve(new DemoLab.Options(checkedDir(), bytes, seeders, InetAddress.getLoopbackAddress(), tracker, seeder))
          : demo(new Demo.Options(bytes, seeders, keep, tracker, seeder));
    } catch (DemoException e) {
      throw new CommandException(ExitCodes.FAILED, e.getMessage() + (e.isPortTaken()
          ? "; stop what uses it, or choose other ports with --tracker-port and --seeder-port" : ""), e);
    }
  }

  /** The one-shot demo; Ctrl-C stops it, cleans up, and exits 130. */
  private int demo(Demo.Options options) throws DemoException, InterruptedException {
    StatusLine status = new StatusLine(spec.commandLine().getOut(), System.console() != null);
    Demo demo = new Demo(options, status);
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = shutdownHook(demo::stop, finished);
    try {
      if (demo.run()) {
        return ExitCodes.OK;
      }
      status.log("stopped");
      return ExitCodes.INTERRUPTED;
    } finally {
      finished.countDown();
      removeHook(hook);
    }
  }

  /**
   * {@code --serve}: the lab until Ctrl-C (or, in a test, until this thread is interrupted), then
   * every seeder stopped, the tracker closed, and the folder left as it is.
   */
  private int serve(DemoLab.Options options) throws DemoException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = shutdownHook(stop::countDown, finished);
    try (DemoLab lab = DemoLab.start(options)) {
      tellAbout(lab, out);
      awaitStop(lab, stop);
      List<PeerAddress> addresses = lab.seederAddresses();
      List<DownloadResult> results = lab.stopSeeders();
      for (int i = 0; i < results.size(); i++) {
        out.printf(Locale.ROOT, "seeder %d on %s sent %s%n", i + 1, addresses.get(i),
            StatusLine.size(results.get(i).bytesUploaded()));
      }
      out.println("stopped; " + options.folder() + " stays, and the next --serve uses it again");
      out.flush();
      return ExitCodes.OK;
    } finally {
      finished.countDown();
      removeHook(hook);
    }
  }

  /** Until Ctrl-C or an interrupt; a seeder that stops seeding on its own ends the lab with its reason. */
  private static void awaitStop(DemoLab lab, CountDownLatch stop) throws DemoException {
    try {
      while (!stop.await(CHECK_EVERY_MILLIS, TimeUnit.MILLISECONDS)) {
        if (lab.failure().isPresent()) {
          throw new DemoException(lab.failure().get());
        }
      }
    } catch (InterruptedException e) {
      // an interrupt is a stop request, like Ctrl-C: go on to close everything in order
    }
  }

  private void tellAbout(DemoLab lab, PrintWriter out) {
    lab.describe().forEach(out::println);
    out.println("serving until Ctrl-C; each chapter's 'Try it' runs one of these in another terminal:");
    for (String command : tryIt(lab, launcher())) {
      out.println("  " + command);
    }
    out.flush();
  }

  /** The command of each chapter's "Try it" against this lab, as the chapters show them. */
  private static List<String> tryIt(DemoLab lab, String piecemeal) {
    String torrent = lab.torrentFile().toString();
    String seed = lab.seedFolder().toString();
    String seeder = lab.seederAddresses().get(0).toString();
    String everySeeder = lab.seederAddresses().stream().map(PeerAddress::toString).collect(Collectors.joining(" "));
    return List.of(
        "chapter 2:  " + piecemeal + " announce " + torrent + " --port 51413",
        "chapter 2:  " + piecemeal + " announce " + lab.udpTorrentFile() + " --port 51413",
        "chapter 3:  " + piecemeal + " handshake " + torrent + " " + seeder + " 127.0.0.1:1",
        "chapter 4:  " + piecemeal + " handshake " + torrent,
        "chapter 5:  " + piecemeal + " peers " + torrent + " " + seeder + " --trace --data " + seed,
        "chapter 6:  " + piecemeal + " peers " + torrent + " " + everySeeder + " --data " + seed,
        "chapter 7:  " + piecemeal + " verify " + torrent + " -d " + seed,
        "chapter 8:  " + piecemeal + " download " + torrent + " -o " + lab.folder().resolve("download")
            + " --bind 127.0.0.1",
        "chapter 10: " + piecemeal + " download '" + magnetLink(lab) + "' -o " + lab.folder().resolve("magnet")
            + " --bind 127.0.0.1");
  }

  /**
   * The sample's magnet link: its info-hash, its name, and the lab's tracker, all that chapter 10's
   * download starts from (the seeders serve the metadata).
   */
  private static String magnetLink(DemoLab lab) {
    return "magnet:?xt=urn:btih:" + lab.metainfo().infoHash().hex() + "&dn=" + lab.metainfo().name()
        + "&tr=" + lab.tracker().announceUrl();
  }

  /**
   * How this program was started, for commands to copy: {@code java -jar
   * final-client/target/piecemeal.jar} (relative to the current folder when inside it), or {@code
   * piecemeal} when it runs from classes (a test, an IDE).
   */
  private static String launcher() {
    CodeSource source = DemoCommand.class.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return "piecemeal";
    }
    try {
      Path code = Path.of(source.getLocation().toURI());
      if (!code.getFileName().toString().endsWith(".jar")) {
        return "piecemeal";
      }
      Path here = Path.of("").toAbsolutePath();
      return "java -jar " + (code.startsWith(here) ? here.relativize(code) : code);
    } catch (URISyntaxException | IllegalArgumentException e) {
      return "piecemeal";
    }
  }

  /** {@code 8M}, {@code 512K}, {@code 1048576}: within what {@link SampleContent} makes. */
  private long checkedSize() throws CommandException {
    long bytes = CreateCommand.parseSize(size.strip());
    if (bytes < 0) {
      throw new CommandException(ExitCodes.BAD_INPUT, "--size " + size + " is not a number of bytes (like 1048576, 512K or 8M)");
    }
    if (bytes < SampleContent.MIN_SIZE || bytes > SampleContent.MAX_SIZE) {
      throw new CommandException(ExitCodes.BAD_INPUT, "--size " + size + " is not in 64K..1024M");
    }
    return bytes;
  }

  /**
   * The --serve folder: created if missing; an existing one must be empty or a demo folder from an
   * earlier --serve (it has a demo.torrent), whose files are written again with the same bytes.
   */
  private Path checkedDir() throws CommandException {
    Path folder = dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir"), "piecemeal-demo");
    folder = folder.normalize();
    if (Files.exists(folder) && !Files.isDirectory(folder)) {
      throw new CommandException(ExitCodes.BAD_INPUT, "--dir " + folder + " is a file, not a folder");
    }
    try {
      if (Files.isDirectory(folder) && !Files.exists(folder.resolve(DemoLab.TORRENT)) && !isEmpty(folder)) {
        throw new CommandException(ExitCodes.BAD_INPUT, "--dir " + folder + " is neither empty nor a demo folder"
            + " (it has no " + DemoLab.TORRENT + "); choose another with --dir");
      }
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new CommandException(ExitCodes.BAD_INPUT, "--dir " + folder + ": cannot create the folder: " + e.getMessage(), e);
    }
    return folder;
  }

  private static boolean isEmpty(Path folder) throws IOException {
    try (Stream<Path> entries = Files.list(folder)) {
      return entries.findAny().isEmpty();
    }
  }

  /**
   * Ctrl-C: the JVM runs the hook, which asks for the stop and waits (a bounded time) for the
   * command to stop the seeders and the tracker in order; the JVM then exits with 130.
   */
  private static Thread shutdownHook(Runnable stop, CountDownLatch finished) {
    Thread hook = new Thread(() -> {
      stop.run();
      try {
        finished.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    return hook;
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running: it waited for us, and now the JVM exits
    }
  }
}
