package dev.piecemeal.client;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.handshake.Extension;
import dev.piecemeal.handshake.Extensions;
import dev.piecemeal.handshake.Handshake;
import dev.piecemeal.handshake.Handshaker;
import dev.piecemeal.handshake.ProtocolException;
import dev.piecemeal.messages.BlockRequest;
import dev.piecemeal.messages.Message;
import dev.piecemeal.messages.MessageLimits;
import dev.piecemeal.messages.MessageReader;
import dev.piecemeal.messages.MessageWriter;
import dev.piecemeal.peers.ConnectionTimeouts;
import dev.piecemeal.peers.PeerConnection;
import dev.piecemeal.tracker.PeerAddress;
import dev.piecemeal.tracker.PeerId;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.net.InetAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import dev.piecemeal.peers.PeerListener;

/**
 * A peer written as a script, over a raw socket, for tests of what the engine does with what a
 * peer sends: chapter 3's connection, chapter 4's {@link Handshaker}, chapter 5's {@link
 * MessageWriter} and {@link MessageReader}, and nothing else. The test says each step: send this,
 * expect that. Nothing happens behind its back; in particular it reads only when told to, so a
 * script that never reads is a peer whose socket fills up.
 */
final class ScriptedPeer implements AutoCloseable {
  /** The longest wait for one message: far longer than a choker round (10 s), the longest wait for an unchoke. */
  static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  private final PeerConnection connection;
  private final MessageWriter writer;
  private final MessageReader reader;
  private final Handshake theirs;

  private ScriptedPeer(PeerConnection connection, Metainfo metainfo, Extensions extensions)
      throws IOException, ProtocolException {
    this(connection, metainfo, extensions, false);
  }

  private ScriptedPeer(PeerConnection connection, Metainfo metainfo, Extensions extensions, boolean dialed)
      throws IOException, ProtocolException {
    this.connection = connection;
    Handshaker handshaker = new Handshaker(PeerId.random(), extensions);
    this.theirs = dialed
        ? handshaker.respond(connection, metainfo.infoHash()::equals)
        : handshaker.initiate(connection, metainfo.infoHash());
    this.writer = new MessageWriter(new BufferedOutputStream(connection.out(), 64 * 1024));
    this.reader = new MessageReader(connection.in(), MessageLimits.forPieces(metainfo.pieceCount()));
  }

  /** Dials {@code peer} and shakes hands; {@code fast}: our handshake sets BEP 6's bit. */
  static ScriptedPeer connect(PeerAddress peer, Metainfo metainfo, boolean fast) throws IOException, ProtocolException {
    return connect(peer, metainfo, fast ? Extensions.of(Extension.FAST) : Extensions.none());
  }

  /** Dials {@code peer} and shakes hands with these reserved bits set (BEP 6, BEP 10, …). */
  static ScriptedPeer connect(PeerAddress peer, Metainfo metainfo, Extensions extensions)
      throws IOException, ProtocolException {
    PeerConnection connection = PeerConnection.connect(peer,
        new ConnectionTimeouts(Duration.ofSeconds(5), READ_TIMEOUT, Duration.ofSeconds(30)));
    try {
      return new ScriptedPeer(connection, metainfo, extensions);
    } catch (IOException | ProtocolException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  /**
   * A port that scripted peers answer on, for tests of what the engine does when it dials: each
   * {@link #accept} takes the next connection that came in and answers its handshake.
   */
  static final class Listening implements AutoCloseable {
    private final PeerListener listener;
    private final BlockingQueue<PeerConnection> arrived = new LinkedBlockingQueue<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicInteger connections = new AtomicInteger();

    private Listening(PeerListener listener) {
      this.listener = listener;
      // the listener closes a connection when this returns: hold it until the test is done with it
      listener.serve(connection -> {
        connections.incrementAndGet();
        arrived.add(connection);
        try {
          closed.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }

    /** Listens on 127.0.0.1, on a free port. */
    static Listening open() throws IOException {
      return new Listening(PeerListener.bind(InetAddress.getLoopbackAddress(), 0, 10,
          new ConnectionTimeouts(Duration.ofSeconds(5), READ_TIMEOUT, Duration.ofSeconds(30))));
    }

    PeerAddress address() {
      return listener.localAddress();
    }

    /** Waits for the next connection (at most {@link #READ_TIMEOUT}) and answers its handshake. */
    ScriptedPeer accept(Metainfo metainfo, Extensions extensions) throws Exception {
      PeerConnection connection = arrived.poll(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (connection == null) {
        throw new IOException("no connection to " + address() + " within " + READ_TIMEOUT);
      }
      return new ScriptedPeer(connection, metainfo, extensions, true);
    }

    /** How many connections came in so far. */
    int connections() {
      return connections.get();
    }

    @Override
    public void close() {
      closed.countDown();
      listener.close();
    }
  }

  /** The handshake the engine answered with. */
  Handshake theirs() {
    return theirs;
  }

  /** Writes the messages and flushes them. */
  void send(Message... messages) throws IOException {
    for (Message message : messages) {
      writer.write(message);
    }
    writer.flush();
  }

  /** Writes a request for each block, then flushes once: one burst. */
  void request(Iterable<BlockRequest> blocks) throws IOException {
    for (BlockRequest block : blocks) {
      writer.write(new Message.Request(block));
    }
    writer.flush();
  }

  /** Writes bytes no {@link Message} can hold (a length the record refuses), as they are. */
  void sendRaw(String... hex) throws IOException {
    writer.flush();
    connection.out().write(HexFormat.of().parseHex(String.join("", hex)));
    connection.out().flush();
  }

  /** The next message, keep-alives included. */
  Message next() throws IOException, ProtocolException {
    return reader.read();
  }

  /** Reads until a message of {@code type} and returns it; others (have all, keep-alive) are passed over. */
  <T extends Message> T await(Class<T> type) throws IOException, ProtocolException {
    while (true) {
      Message message = reader.read();
      if (type.isInstance(message)) {
        return type.cast(message);
      }
    }
  }

  /** Says interested and reads until the engine unchokes us (at once into a free slot). */
  void interestedUntilUnchoked() throws IOException, ProtocolException {
    send(new Message.Interested());
    await(Message.Unchoke.class);
  }

  /** Says interested in each of {@code peers} first, then reads until each is unchoked. */
  static void interestedUntilUnchoked(ScriptedPeer... peers) throws IOException, ProtocolException {
    for (ScriptedPeer peer : peers) {
      peer.send(new Message.Interested());
    }
    for (ScriptedPeer peer : peers) {
      peer.await(Message.Unchoke.class);
    }
  }

  /**
   * Reads everything until the engine hangs up and returns how many bytes came; throws when
   * nothing arrives for {@link #READ_TIMEOUT} (the engine did not hang up).
   */
  long readUntilClosed() throws IOException {
    long bytes = 0;
    byte[] buffer = new byte[64 * 1024];
    try {
      int n;
      while ((n = connection.in().read(buffer)) >= 0) {
        bytes += n;
      }
    } catch (SocketException reset) {
      // a reset instead of an orderly close: hung up all the same
    }
    return bytes;
  }

  /**
   * Reads until the engine hangs up and returns the messages that came first; throws when nothing
   * arrives for {@link #READ_TIMEOUT} (the engine did not hang up).
   */
  List<Message> readUntilHungUp() throws IOException, ProtocolException {
    List<Message> before = new ArrayList<>();
    try {
      while (true) {
        before.add(reader.read());
      }
    } catch (EOFException | SocketException closed) {
      return before;
    }
  }

  PeerAddress local() {
    return connection.local();
  }

  @Override
  public void close() {
    connection.close();
  }
}
