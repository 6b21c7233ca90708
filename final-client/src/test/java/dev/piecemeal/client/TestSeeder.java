package dev.piecemeal.client;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.bitfield.Bitfield;
import dev.piecemeal.handshake.Extensions;
import dev.piecemeal.handshake.Handshaker;
import dev.piecemeal.handshake.ProtocolException;
import dev.piecemeal.messages.BlockRequest;
import dev.piecemeal.messages.Message;
import dev.piecemeal.messages.MessageLimits;
import dev.piecemeal.messages.MessageReader;
import dev.piecemeal.messages.MessageWriter;
import dev.piecemeal.peers.ConnectionTimeouts;
import dev.piecemeal.peers.PeerConnection;
import dev.piecemeal.peers.PeerListener;
import dev.piecemeal.tracker.PeerAddress;
import dev.piecemeal.tracker.PeerId;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small seeder for tests, made of chapters 3 to 6: it listens on 127.0.0.1, answers the
 * handshake, sends its bitfield, unchokes whoever is interested and serves blocks from memory.
 * Each one can misbehave in one way, as real peers do.
 */
public final class TestSeeder implements AutoCloseable {

  /** How this seeder behaves. */
  public enum Behaviour {
    /** Serves every request at once. */
    NORMAL,
    /** Serves each block a few milliseconds late: a slow peer. */
    SLOW,
    /** Every 24 blocks: chokes (dropping the requests it has), then unchokes once they are read. */
    CHOKES_MID_PIPELINE,
    /** Flips a byte in every block it sends. */
    CORRUPT,
    /**
     * Flips a byte in the first block of every piece and sends the others right, and chokes after
     * every block (unchoking once the dropped requests are read), so that an honest peer fills the
     * rest of each piece: its bad blocks share every failed piece with good ones, and it is never a
     * failed piece's only sender.
     */
    CORRUPTS_FIRST_BLOCKS,
    /** Hangs up after sending 3 blocks: in the middle of a piece. */
    DISCONNECTS_MID_PIECE,
    /** After its bitfield, sends a length prefix of 2 GiB: a peer that breaks the protocol. */
    BREAKS_PROTOCOL,
    /** Completes the handshake, then says nothing at all: no bitfield, no unchoke, no keep-alive. */
    SILENT,
    /** Accepts the handshake and stays choked: never unchokes. */
    NEVER_UNCHOKES,
    /** Unchokes, then never answers a request: a stalled peer. */
    STALLS,
    /** Sends each block 10 ms after its request arrived, at full speed: a peer far away. */
    DISTANT
  }

  /** The one-way delay of a {@link Behaviour#DISTANT} seeder. */
  static final long DISTANCE_NANOS = 10_000_000;

  /** A block to send once its time has come. */
  private record Due(BlockRequest block, long atNanos) implements Delayed {
    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(atNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(atNanos, ((Due) other).atNanos);
    }
  }

  private final Metainfo metainfo;
  private final byte[] data;
  private final Bitfield has;
  private final Behaviour behaviour;
  private final PeerListener listener;
  private final AtomicLong bytesServed = new AtomicLong();
  private final AtomicInteger connections = new AtomicInteger();
  /** One permit for each handshake completed, for a test that must wait for them. */
  private final java.util.concurrent.Semaphore handshakes = new java.util.concurrent.Semaphore(0);
  /** Null, or: a CORRUPT seeder counts it down per block sent; the others unchoke once it is open. */
  private final CountDownLatch gate;
  private final java.util.Set<PeerConnection> dialed = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private TestSeeder(Metainfo metainfo, byte[] data, Bitfield has, Behaviour behaviour, CountDownLatch gate)
      throws IOException {
    this(metainfo, data, has, behaviour, gate, 0);
  }

  private TestSeeder(Metainfo metainfo, byte[] data, Bitfield has, Behaviour behaviour, CountDownLatch gate,
      int port) throws IOException {
    this.gate = gate;
    this.metainfo = metainfo;
    this.data = data;
    this.has = has;
    this.behaviour = behaviour;
    this.listener = PeerListener.bind(InetAddress.getLoopbackAddress(), port, 8,
        ConnectionTimeouts.all(Duration.ofSeconds(10)));
    listener.serve(this::session);
  }

  /** A seeder with every piece of {@code data}, the torrent's bytes end to end. */
  public static TestSeeder start(Metainfo metainfo, byte[] data, Behaviour behaviour) throws IOException {
    return new TestSeeder(metainfo, data, Bitfield.full(metainfo.pieceCount()), behaviour, null);
  }

  /**
   * A seeder that shares a gate with others: a bad one counts it down ({@link Behaviour#CORRUPT} for
   * each block it sends, {@link Behaviour#CORRUPTS_FIRST_BLOCKS} for each bad block, {@link
   * Behaviour#BREAKS_PROTOCOL} once it has sent its 2 GiB prefix), every other one unchokes only once
   * the gate is open. So the bad peer is sure to act before the good ones can finish the download
   * without it, however fast the download is.
   */
  static TestSeeder gated(Metainfo metainfo, byte[] data, Behaviour behaviour, CountDownLatch gate)
      throws IOException {
    return new TestSeeder(metainfo, data, Bitfield.full(metainfo.pieceCount()), behaviour, gate);
  }

  /** A seeder listening on a port chosen before it starts: a peer that becomes reachable late. */
  static TestSeeder startOn(int port, Metainfo metainfo, byte[] data, Behaviour behaviour) throws IOException {
    return new TestSeeder(metainfo, data, Bitfield.full(metainfo.pieceCount()), behaviour, null, port);
  }

  /** A seeder with only the pieces in {@code has}. */
  static TestSeeder withPieces(Metainfo metainfo, byte[] data, Bitfield has) throws IOException {
    return new TestSeeder(metainfo, data, has, Behaviour.NORMAL, null);
  }

  public PeerAddress address() {
    return listener.localAddress();
  }

  /** Bytes of blocks sent, over every connection. */
  long bytesServed() {
    return bytesServed.get();
  }

  /** Waits for one more handshake (any connection) to be done; false after {@code timeout}. */
  boolean awaitHandshake(Duration timeout) throws InterruptedException {
    return handshakes.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** How many downloaders connected. */
  int connections() {
    return connections.get();
  }

  @Override
  public void close() {
    listener.close();
    dialed.forEach(PeerConnection::close);
  }

  /**
   * Dials a downloader, as a seeder that learned its address from a tracker does, and serves it on a
   * thread of its own; the connection ends when the downloader hangs up or {@link #close} is called.
   */
  void dial(PeerAddress downloader) {
    Thread thread = new Thread(() -> {
      try (PeerConnection connection = PeerConnection.connect(downloader, ConnectionTimeouts.all(Duration.ofSeconds(10)))) {
        dialed.add(connection);
        session(connection);
      } catch (IOException e) {
        // nobody listens there: the test's assertions will say so
      }
    }, "seeder-dials-" + downloader);
    thread.setDaemon(true);
    thread.start();
  }

  private void session(PeerConnection connection) {
    connections.incrementAndGet();
    try {
      Handshaker handshaker = new Handshaker(PeerId.random(), Extensions.none());
      if (connection.isIncoming()) {
        handshaker.respond(connection, metainfo.infoHash()::equals);
      } else {
        handshaker.initiate(connection, metainfo.infoHash());
      }
      handshakes.release();
      MessageWriter out = new MessageWriter(new BufferedOutputStream(connection.out(), 32 * 1024));
      InputStream in = connection.in();
      MessageReader reader = new MessageReader(in, MessageLimits.forPieces(metainfo.pieceCount()));
      if (behaviour == Behaviour.SILENT) {
        connection.readTimeout(Duration.ofMinutes(10));
        while (true) {
          reader.read(); // listens, and never says a word
        }
      }
      if (!has.isEmpty()) {
        out.write(new Message.Bitfield(has.toBytes()));
        out.flush();
      }
      if (behaviour == Behaviour.BREAKS_PROTOCOL) {
        connection.out().write(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff});
        connection.out().flush();
        if (gate != null) {
          gate.countDown();
        }
      }
      boolean choking = true;
      int sent = 0;
      DelayQueue<Due> delayed = new DelayQueue<>();
      if (behaviour == Behaviour.DISTANT) {
        Thread sender = new Thread(() -> sendWhenDue(out, delayed, connection), "seeder-distant");
        sender.setDaemon(true);
        sender.start();
      }
      while (true) {
        Message message = reader.read();
        if (message instanceof Message.Interested && choking && behaviour != Behaviour.NEVER_UNCHOKES) {
          if (gate != null && !opensTheGate() && !gate.await(10, TimeUnit.SECONDS)) {
            throw new IOException("the gate never opened");
          }
          choking = false;
          synchronized (out) {
            out.write(new Message.Unchoke());
            out.flush();
          }
        } else if (message instanceof Message.Request request && behaviour == Behaviour.DISTANT) {
          delayed.put(new Due(request.block(), System.nanoTime() + DISTANCE_NANOS));
          continue;
        } else if (message instanceof Message.Request && behaviour == Behaviour.STALLS) {
          continue;
        } else if (message instanceof Message.Request request && !choking) {
          serve(out, request.block());
          sent++;
          if (behaviour == Behaviour.DISCONNECTS_MID_PIECE && sent == 3) {
            out.flush();
            connection.abort();
            return;
          }
          if ((behaviour == Behaviour.CHOKES_MID_PIPELINE && sent % 24 == 0)
              || behaviour == Behaviour.CORRUPTS_FIRST_BLOCKS) {
            choking = true; // BEP 3: the requests we hold are dropped with the choke
            out.write(new Message.Choke());
          }
        }
        if (choking && (behaviour == Behaviour.CHOKES_MID_PIPELINE || behaviour == Behaviour.CORRUPTS_FIRST_BLOCKS)
            && sent > 0 && in.available() == 0) {
          choking = false; // every request sent before our choke has been read and dropped
          out.write(new Message.Unchoke());
        }
        if (in.available() == 0) {
          synchronized (out) {
            out.flush();
          }
        }
      }
    } catch (IOException | ProtocolException e) {
      // the downloader hung up, or we did: the session is over
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The DISTANT seeder's sender: each block once its delay is over, flushed when none is due. */
  private void sendWhenDue(MessageWriter out, DelayQueue<Due> delayed, PeerConnection connection) {
    try {
      while (!connection.isClosed()) {
        Due due = delayed.poll(100, TimeUnit.MILLISECONDS);
        if (due == null) {
          continue;
        }
        synchronized (out) {
          serve(out, due.block());
          if (delayed.peek() == null || delayed.peek().getDelay(TimeUnit.NANOSECONDS) > 0) {
            out.flush();
          }
        }
      }
    } catch (IOException | InterruptedException e) {
      connection.close();
    }
  }

  private void serve(MessageWriter out, BlockRequest block) throws IOException, InterruptedException {
    if (!has.has(block.pieceIndex())) {
      return;
    }
    if (behaviour == Behaviour.SLOW) {
      out.flush();
      Thread.sleep(3); // a throttle, not a wait: this peer uploads slowly
    }
    long offset = (long) block.pieceIndex() * metainfo.pieceLength() + block.begin();
    byte[] bytes = new byte[block.length()];
    System.arraycopy(data, (int) offset, bytes, 0, block.length());
    if (behaviour == Behaviour.CORRUPT || (behaviour == Behaviour.CORRUPTS_FIRST_BLOCKS && block.begin() == 0)) {
      bytes[0] ^= 0x55;
    }
    out.write(Message.Piece.of(block.pieceIndex(), block.begin(), bytes));
    bytesServed.addAndGet(block.length());
    if (gate != null && (behaviour == Behaviour.CORRUPT
        || (behaviour == Behaviour.CORRUPTS_FIRST_BLOCKS && block.begin() == 0))) {
      out.flush();
      gate.countDown();
    }
  }

  /** The bad behaviours, which count a shared gate down instead of waiting for it. */
  private boolean opensTheGate() {
    return behaviour == Behaviour.CORRUPT || behaviour == Behaviour.CORRUPTS_FIRST_BLOCKS
        || behaviour == Behaviour.BREAKS_PROTOCOL;
  }
}
