package dev.piecemeal.client.cli;

import dev.piecemeal.bencode.BencodeDictionary;
import dev.piecemeal.bencode.BencodeEncoder;
import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.bitfield.Bitfield;
import dev.piecemeal.client.Printable;
import dev.piecemeal.handshake.Extension;
import dev.piecemeal.handshake.Extensions;
import dev.piecemeal.handshake.Handshake;
import dev.piecemeal.handshake.Handshaker;
import dev.piecemeal.handshake.ProtocolException;
import dev.piecemeal.messages.BlockRequest;
import dev.piecemeal.messages.Message;
import dev.piecemeal.messages.MessageLimits;
import dev.piecemeal.messages.MessageReader;
import dev.piecemeal.messages.MessageTrace;
import dev.piecemeal.messages.MessageWriter;
import dev.piecemeal.peers.ClientName;
import dev.piecemeal.peers.ConnectionFailure;
import dev.piecemeal.peers.ConnectionTimeouts;
import dev.piecemeal.peers.DialResult;
import dev.piecemeal.peers.PeerConnection;
import dev.piecemeal.peers.PeerDialer;
import dev.piecemeal.storage.PieceVerifier;
import dev.piecemeal.storage.StorageException;
import dev.piecemeal.storage.TorrentStorage;
import dev.piecemeal.tracker.AnnounceResponse;
import dev.piecemeal.tracker.PeerAddress;
import dev.piecemeal.tracker.PeerId;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code piecemeal peers FILE.torrent [HOST:PORT ...]}: chapters 5 and 6 at work. For each peer
 * given (or, without any, each peer the torrent's trackers return), shake hands, learn which
 * pieces it has from its bitfield, have all or have none, say we are interested, wait for it to
 * unchoke us, ask for one block, and check what comes back. One line per peer:
 *
 * <pre>
 * 127.0.0.1:51413  peer id -TR3000-8vd1k2zqqjx7  client Transmission 3.00  has 17/17 pieces (100%)  unchoked us: yes  ok: block piece 0 begin 0 length 16384 intact (equal to the copy in data)
 * 127.0.0.1:1  failed: connection refused by 127.0.0.1:1
 * </pre>
 *
 * With {@code --trace}, every message sent ({@code ->}) and received ({@code <-}) is printed as it
 * happens, one line each ({@link TraceLines}, over chapter 5's {@link MessageTrace}), the BEP 10 extension handshake with
 * its dictionary decoded by chapter 1's decoder:
 *
 * <pre>
 * 127.0.0.1:51413 &lt;- bitfield 17/17 pieces
 * 127.0.0.1:51413 -&gt; interested
 * 127.0.0.1:51413 &lt;- unchoke
 * </pre>
 *
 * <p>How the block is checked: when the whole piece fits in the one block, its SHA-1 must be the
 * piece's hash from the torrent. Otherwise a block alone cannot be hashed (the torrent has hashes
 * of whole pieces only), so it must have the length and offset we asked for, and, given {@code
 * --data DIR} (a folder holding a good copy of the data, as for {@code piecemeal verify}), the same
 * bytes as that copy. A block that could not be compared is reported as such, and still counts as
 * an exchange completed; a block that differs is a failure.
 *
 * <p>Exit status 0 when at least one peer sent its block, 1 when none did (with one {@code error:}
 * line), 2 for a bad file or argument.
 */
@Command(name = "peers", mixinStandardHelpOptions = true,
    description = "Connect to peers, see which pieces they have, and fetch one block from each.")
final class PeersCommand implements Callable<Integer> {

  /**
   * The {@code reqq} of our extension handshake: how many requests a peer may have outstanding
   * with us. This command never serves a block (it says have none, and answers any request with a
   * reject when the fast extension allows one), so the number only has to be honest, not large.
   */
  static final int OUR_REQUEST_QUEUE = 16;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE.torrent", description = "the torrent to ask the peers about")
  Path file;

  @Parameters(index = "1..*", paramLabel = "HOST:PORT",
      description = "peers to connect to, IPv6 as [ADDRESS]:PORT (default: the trackers' peers)")
  List<String> peerArguments = new ArrayList<>();

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
      description = "how long to wait to connect, for the handshake, the peer's pieces and the block (default: ${DEFAULT-VALUE})")
  int timeoutSeconds;

  @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "20",
      description = "how long to wait for a peer to unchoke us after we said interested (default: ${DEFAULT-VALUE};"
          + " Transmission unchokes only every 10 s)")
  int waitSeconds;

  @Option(names = "--trace", description = "print every message sent and received, one line each")
  boolean trace;

  @Option(names = "--data", paramLabel = "DIR",
      description = "a folder with a good copy of the data, to compare the block with")
  Path dataFolder;

  @Option(names = "--max-dialing", paramLabel = "N", defaultValue = "8",
      description = "how many peers to dial at once (default: ${DEFAULT-VALUE})")
  int maxDialing;

  @Option(names = "--port", paramLabel = "N", defaultValue = "6881",
      description = "without HOST:PORT, the TCP port to announce as ours (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--numwant", paramLabel = "N", defaultValue = "50",
      description = "without HOST:PORT, how many peers to ask the tracker for (default: ${DEFAULT-VALUE})")
  int numwant;

  @Override
  public Integer call() throws CommandException, InterruptedException {
    checkOptions();
    Metainfo metainfo = TorrentArgument.load(file);
    PeerId ourId = PeerId.random();
    try (TorrentStorage copy = openTheCopy(metainfo)) {
      if (!peerArguments.isEmpty()) {
        return exchangeWithAll(PeerArguments.parse(peerArguments), metainfo, ourId, copy);
      }
      // No peers given: ask the trackers (chapter 2), and say goodbye to the one that answered.
      return new TrackerPeers(file, Duration.ofSeconds(timeoutSeconds), spec.commandLine().getErr())
          .withPeers(metainfo, ourId, port, numwant, peers -> exchangeWithAll(peers, metainfo, ourId, copy));
    } catch (StorageException e) {
      throw new CommandException(ExitCodes.FAILED, e.getMessage(), e);
    }
  }

  /** Dial every peer, run one {@link Exchange} on each peer's thread, print its line as it ends. */
  private int exchangeWithAll(List<PeerAddress> peers, Metainfo metainfo, PeerId ourId, TorrentStorage copy)
      throws CommandException, InterruptedException {
    // BEP 6 and BEP 10 are bits we can honour: MessageReader decodes every message they enable,
    // and this command answers what they oblige it to (have none first, a reject for a request).
    Handshaker handshaker = new Handshaker(ourId, Extensions.of(Extension.FAST, Extension.EXTENSION_PROTOCOL));
    ConnectionTimeouts timeouts = ConnectionTimeouts.all(Duration.ofSeconds(timeoutSeconds));
    PeerDialer dialer = new PeerDialer(50, maxDialing, timeouts);
    PieceVerifier verifier = new PieceVerifier(metainfo); // chapter 7's SHA-1 check of a whole piece

    AtomicInteger completed = new AtomicInteger();
    dialer.dialAll(peers, result -> {
      Exchange exchange = new Exchange(result.address(), metainfo, handshaker, verifier, copy);
      String line = exchange.run(result);
      if (exchange.completed) {
        completed.incrementAndGet();
      }
      print(line);
    });

    if (completed.get() == 0) {
      throw new CommandException(ExitCodes.FAILED, "no peer sent the block we asked for ("
          + (peers.size() == 1 ? "one peer" : peers.size() + " peers") + " tried)");
    }
    return ExitCodes.OK;
  }

  /** One whole line at a time, from many peer threads. */
  private void print(String line) {
    PrintWriter out = spec.commandLine().getOut();
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }

  /** The three waits of an exchange, each with its own deadline and its own way to say it ran out. */
  private enum Waiting {
    PIECES, UNCHOKE, BLOCK
  }

  /**
   * One peer, from dial to verdict, on the peer's own thread (the one {@link PeerDialer} runs it
   * on); nothing in it is shared.
   *
   * <p>Why this is not the engine's {@code PeerSession}: an exchange is a scripted probe with one
   * goal, one block from one peer, ended by one of three deadlines ({@link Waiting}) and reported
   * as one line, with every message traced. A session is open-ended: it joins a swarm, shares the
   * picker, the pieces in flight and the hasher with fifty others, pipelines hundreds of requests
   * and lives until the download ends. Running a session here would drag all of that shared state
   * into a command that needs none of it, and the chapter 5 reader would lose the protocol's
   * straight line (handshake, bitfield, interested, unchoke, request, piece) in the engine's
   * bookkeeping. The price is a second, smaller message loop; both decode with chapter 5's
   * {@code MessageReader} and check blocks with chapter 7's {@code PieceVerifier}.
   */
  private final class Exchange {
    private final PeerAddress address;
    private final Metainfo metainfo;
    private final Handshaker handshaker;
    private final PieceVerifier verifier;
    private final TorrentStorage copy;
    private final TraceLines tracing; // prints only with --trace

    private Handshake theirHandshake;
    private Bitfield theirPieces; // null until they say what they have
    private boolean choking = true; // every connection starts choked (BEP 3)
    private boolean unchokedUs; // ever, for the report
    private boolean interestedSent;
    private BlockRequest asked;
    private boolean completed;

    Exchange(PeerAddress address, Metainfo metainfo, Handshaker handshaker, PieceVerifier verifier,
        TorrentStorage copy) {
      this.address = address;
      this.metainfo = metainfo;
      this.handshaker = handshaker;
      this.verifier = verifier;
      this.copy = copy;
      this.tracing = new TraceLines(metainfo.pieceCount(), line -> {
        if (trace) {
          print(line);
        }
      });
    }

    /** The peer's line: what it told us, then {@code ok: ...} or {@code failed: ...}. */
    String run(DialResult result) {
      if (result instanceof DialResult.Failed failed) {
        return address + "  failed: " + failed.message();
      }
      try (PeerConnection connection = ((DialResult.Connected) result).connection()) {
        String outcome = exchange(connection);
        return facts() + (completed ? "ok: " : "failed: ") + outcome;
      } catch (ProtocolException e) {
        return facts() + "failed: " + Printable.oneLine(e.getMessage());
      } catch (SocketTimeoutException e) {
        return facts() + "failed: " + Printable.oneLine(e.getMessage()); // says what we waited for
      } catch (EOFException e) {
        return facts() + "failed: " + Printable.oneLine(e.getMessage()) + " (peer " + address + ")";
      } catch (IOException e) {
        return facts() + "failed: " + ConnectionFailure.describe(address, e);
      }
    }

    /** The whole conversation, in the order it happens; returns the outcome. */
    private String exchange(PeerConnection connection) throws IOException, ProtocolException {
      // 1. The handshake (chapter 4). Extensions count only when both sides set their bit.
      InfoHash infoHash = metainfo.infoHash();
      tracing.handshake(address, true, handshaker.ours(infoHash));
      theirHandshake = handshaker.initiate(connection, infoHash);
      tracing.handshake(address, false, theirHandshake);
      boolean fast = theirHandshake.extensions().has(Extension.FAST);
      boolean extensionProtocol = theirHandshake.extensions().has(Extension.EXTENSION_PROTOCOL);

      MessageReader reader = new MessageReader(connection.in(), MessageLimits.forPieces(metainfo.pieceCount()));
      MessageWriter writer = new MessageWriter(new BufferedOutputStream(connection.out()));

      // 2. What we have: nothing. BEP 6 wants a bitfield, have all or have none first when both
      //    sides speak it; without it, a peer with no piece may send no bitfield at all.
      if (fast) {
        send(writer, new Message.HaveNone());
      }
      if (extensionProtocol) {
        send(writer, new Message.Extended(0, ourExtensionHandshake()));
      }
      writer.flush();

      // 3. Read what the peer says, one message at a time, and answer as the protocol asks.
      Waiting waiting = Waiting.PIECES;
      long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
      while (true) {
        Message message = readBefore(reader, connection, deadline, waiting);
        tracing.message(address, false, message);

        if (message instanceof Message.Bitfield bitfield) {
          theirPieces = Bitfield.fromBytes(bitfield.bytes(), metainfo.pieceCount());
        } else if (message instanceof Message.HaveAll) {
          theirPieces = Bitfield.full(metainfo.pieceCount());
        } else if (message instanceof Message.HaveNone) {
          theirPieces = new Bitfield(metainfo.pieceCount());
        } else if (message instanceof Message.Have have) {
          if (theirPieces == null) {
            theirPieces = new Bitfield(metainfo.pieceCount());
          }
          theirPieces.set(have.pieceIndex());
        } else if (message instanceof Message.Unchoke) {
          choking = false;
          unchokedUs = true;
        } else if (message instanceof Message.Choke) {
          choking = true;
          if (asked != null && !fast) {
            // Without the fast extension a choke silently drops our outstanding requests (BEP 3).
            return "choked us again before sending " + asked;
          }
        } else if (message instanceof Message.Request request && fast) {
          // We choke everyone and serve nothing; BEP 6 asks us to say so for each request.
          send(writer, new Message.RejectRequest(request.block()));
          writer.flush();
        } else if (message instanceof Message.RejectRequest reject && reject.block().equals(asked)) {
          return "rejected our request for " + asked;
        } else if (message instanceof Message.Piece piece) {
          if (!piece.request().equals(asked)) {
            throw new ProtocolException("sent " + piece.request() + ", which we did not ask for (peer " + address + ")");
          }
          return checkBlock(piece);
        }

        // 4. Interested as soon as we know it has something; then wait for the unchoke.
        if (!interestedSent && theirPieces != null) {
          if (theirPieces.isEmpty()) {
            return "has no piece to ask for";
          }
          send(writer, new Message.Interested());
          writer.flush();
          interestedSent = true;
          waiting = Waiting.UNCHOKE;
          deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
        }
        // 5. Unchoked: one block, the first of the first piece it has.
        //    Simplified: we wait for the unchoke even for a piece the peer allows us fast (BEP 6).
        //    A downloader would request allowed-fast pieces at once; one block after the unchoke is
        //    what this command is for, and Transmission and libtorrent unchoke a lone peer anyway.
        if (interestedSent && !choking && asked == null) {
          int piece = theirPieces.nextSetBit(0);
          asked = new BlockRequest(piece, 0, Math.min(BlockRequest.MAX_LENGTH, metainfo.pieceSize(piece)));
          send(writer, new Message.Request(asked));
          writer.flush();
          waiting = Waiting.BLOCK;
          deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        }
      }
    }

    /** The next message, or a {@link SocketTimeoutException} that says what we waited for. */
    private Message readBefore(MessageReader reader, PeerConnection connection, long deadline, Waiting waiting)
        throws IOException, ProtocolException {
      long left = deadline - System.nanoTime();
      try {
        if (left < Duration.ofMillis(1).toNanos()) {
          throw new SocketTimeoutException();
        }
        connection.readTimeout(Duration.ofNanos(left));
        return reader.read();
      } catch (SocketTimeoutException e) {
        throw new SocketTimeoutException(switch (waiting) {
          case PIECES -> "sent no bitfield, have all or have none within " + timeoutSeconds + " s";
          case UNCHOKE -> "did not unchoke us within " + waitSeconds + " s of our interested";
          case BLOCK -> "did not send " + asked + " within " + timeoutSeconds + " s of our request";
        });
      }
    }

    /**
     * Is the block what the torrent says? A piece's SHA-1 covers the whole piece, so a lone block
     * can be hashed only when it is the whole piece; otherwise it is compared with a copy we trust.
     */
    private String checkBlock(Message.Piece piece) {
      BlockRequest block = piece.request();
      if (block.begin() == 0 && block.length() == metainfo.pieceSize(block.pieceIndex())) {
        boolean matches = verifier.verify(block.pieceIndex(), piece.block());
        completed = matches;
        return block + (matches ? " intact (its SHA-1 is piece " : " corrupt (its SHA-1 is not piece ")
            + block.pieceIndex() + "'s hash)";
      }
      if (copy == null) {
        completed = true;
        return block + " arrived, not checked (piece " + block.pieceIndex() + " is "
            + metainfo.pieceSize(block.pieceIndex()) + " bytes, hashed only whole; --data DIR compares the block)";
      }
      try {
        ByteBuffer ours = copy.readBlock(block);
        int differs = ours.mismatch(piece.block());
        completed = differs < 0;
        return block + (differs < 0
            ? " intact (equal to the copy in " + Printable.oneLine(dataFolder.toString()) + ")"
            : " corrupt (differs from the copy in " + Printable.oneLine(dataFolder.toString())
                + " at byte " + differs + ")");
      } catch (StorageException e) {
        completed = true;
        return block + " arrived, not compared: " + Printable.oneLine(e.getMessage());
      }
    }

    private void send(MessageWriter writer, Message message) throws IOException {
      writer.write(message);
      tracing.message(address, true, message);
    }

    /** {@code ADDRESS  peer id ...  client ...  has N/M pieces (P%)  unchoked us: yes  }, or just the address. */
    private String facts() {
      if (theirHandshake == null) {
        return address + "  ";
      }
      PeerId id = theirHandshake.peerId();
      String has = theirPieces == null
          ? "has ? pieces (said nothing)"
          : "has " + theirPieces.cardinality() + "/" + metainfo.pieceCount() + " pieces ("
              + (100L * theirPieces.cardinality() / metainfo.pieceCount()) + "%)";
      return address + "  peer id " + id.printable()
          + "  client " + ClientName.fromPeerId(id).map(ClientName::toString).orElse("unknown")
          + "  " + has + "  unchoked us: " + (unchokedUs ? "yes" : "no") + "  ";
    }
  }

  /**
   * The BEP 10 handshake we send: no extension messages of our own ({@code m} is empty), our
   * client name, and our request queue.
   */
  static byte[] ourExtensionHandshake() {
    String version = Main.class.getPackage().getImplementationVersion();
    return BencodeEncoder.encode(BencodeDictionary.builder()
        .put("m", BencodeDictionary.builder().build())
        .put("v", "Piecemeal " + (version == null ? "(development build)" : version))
        .put("reqq", OUR_REQUEST_QUEUE)
        .build());
  }

  /** With {@code --data DIR}, chapter 7's storage, reading only; without, null. */
  private TorrentStorage openTheCopy(Metainfo metainfo) throws CommandException {
    if (dataFolder == null) {
      return null;
    }
    if (!Files.isDirectory(dataFolder)) {
      throw new CommandException(ExitCodes.BAD_INPUT, dataFolder + ": not a folder (--data)");
    }
    try {
      return TorrentStorage.openForReading(metainfo, dataFolder);
    } catch (StorageException e) {
      throw new CommandException(ExitCodes.BAD_INPUT, e.getMessage(), e);
    }
  }

  private void checkOptions() throws CommandException {
    OptionChecks.inRange("--timeout", timeoutSeconds, 1, 3600, "seconds");
    OptionChecks.inRange("--wait", waitSeconds, 1, 3600, "seconds");
    OptionChecks.atLeast("--max-dialing", maxDialing, 1);
    OptionChecks.inRange("--port", port, 1, 65535);
    OptionChecks.inRange("--numwant", numwant, 1, AnnounceResponse.MAX_PEERS);
  }
}
