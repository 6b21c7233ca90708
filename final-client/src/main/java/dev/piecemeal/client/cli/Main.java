package dev.piecemeal.client.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code piecemeal}, the command line of the finished client. Each subcommand is one file in this
 * package, registered by one line in {@code subcommands} below; every failure goes through
 * {@link ErrorHandler}, so each prints one {@code error: …} line and exits with an
 * {@link ExitCodes} status.
 *
 * <pre>
 * java -jar final-client/target/piecemeal.jar info samples/piecemeal-sample.torrent
 * </pre>
 */
@Command(
    name = "piecemeal",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "A BitTorrent client, built chapter by chapter.",
    subcommands = {
      InfoCommand.class,
      AnnounceCommand.class,
      HandshakeCommand.class,
      PeersCommand.class,
      VerifyCommand.class,
      DownloadCommand.class,
      SeedCommand.class,
      CreateCommand.class,
      DemoCommand.class,
    })
public final class Main implements Callable<Integer> {

  @Spec CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The configured command line: subcommands, error handling, exit codes. Tests run it in-process
   * with {@code setOut}/{@code setErr} and {@code execute(args)}.
   */
  public static CommandLine commandLine() {
    ErrorHandler errors = new ErrorHandler();
    return new CommandLine(new Main())
        .setExecutionExceptionHandler(errors)
        .setParameterExceptionHandler(errors);
  }

  /** {@code piecemeal} alone: a subcommand is missing, which is a bad command line. */
  @Override
  public Integer call() throws CommandException {
    String commands = String.join(", ", spec.subcommands().keySet());
    throw new CommandException(
        ExitCodes.BAD_INPUT, "a command is missing: " + commands + " (see 'piecemeal --help')");
  }

  /** {@code --version}: the version the build wrote into the jar's manifest. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"piecemeal " + (version == null ? "(development build)" : version)};
    }
  }
}
