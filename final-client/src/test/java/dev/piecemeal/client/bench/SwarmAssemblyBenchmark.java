package dev.piecemeal.client.bench;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.client.TestData;
import dev.piecemeal.handshake.ProtocolException;
import dev.piecemeal.storage.PieceAssembler;
import dev.piecemeal.storage.PieceVerdict;
import dev.piecemeal.storage.StorageException;
import dev.piecemeal.storage.TorrentStorage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * Eight pieces put together at once from their 16 KiB blocks, which arrive shuffled across the
 * pieces (as from a swarm, where several pieces are in flight and their blocks interleave), for a
 * torrent of three files whose boundaries fall inside pieces. One operation is all eight pieces:
 * ops/s × 8 × the piece length is the rate.
 *
 * <p>Two ways to do it, the engine's before and after chapter 11:
 *
 * <ul>
 *   <li>{@code fresh}: each block read into a new array of its own (what {@code MessageReader}
 *       did for every piece message), each piece put together in a new zeroed array;
 *   <li>{@code reused}: every block read into one reused 16 KiB array (as {@code
 *       MessageReader.reusingBlockBuffer} does), each piece put together in an array lent again
 *       and again (as the engine's {@code PieceBuffers} does).
 * </ul>
 *
 * <p>Each with and without {@code TorrentStorage.verifyAndWrite} (hash, write into the files,
 * flush) of every piece as it completes. Run it with {@code -prof gc}: {@code gc.alloc.rate.norm}
 * is the bytes allocated per operation. For {@code fresh} it is about twice the bytes of the
 * pieces (a block array and a piece array for every byte); for {@code reused} it is a few hundred
 * bytes a block (the small objects: assemblers, buffers, verdicts), and no byte is copied more than
 * once between the array the socket was read into and the file: block array → piece → file.
 *
 * <p>What could fool it: "reading from the socket" is a copy from memory here, the same in both, so
 * the difference between them is the allocation and its garbage, not the network. A JMH fork has a
 * large heap and little else in it, so the collector's cost for the fresh arrays is smaller here
 * than in a download, where it also makes the heap grow. The write lands in the page cache and is
 * flushed piece by piece, so the write variants measure this machine's disk as much as our code;
 * every call overwrites the same eight pieces, so the files never grow.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class SwarmAssemblyBenchmark {
  private static final String PEER = "127.0.0.1:6881";
  private static final int PIECES = 8;
  private static final int BLOCK = PieceAssembler.BLOCK_LENGTH;

  @Param({"1048576", "4194304"})
  public int pieceLength;

  private byte[] data; // the whole torrent, PIECES pieces
  private int[][] arrivals; // {piece, begin} of every block, shuffled across the pieces
  private final byte[] socketBuffer = new byte[BLOCK]; // the one array blocks are read into
  private ByteBuffer[] lent; // one direct buffer per piece in flight, lent again on every call
  private Path folder;
  private TorrentStorage storage;

  @Setup
  public void makeTheTorrent() throws Exception {
    data = TestData.bytes(PIECES * pieceLength, 5);
    // three files: the first ends inside piece 2, the second inside piece 5
    int first = 2 * pieceLength + pieceLength / 2;
    int second = 3 * pieceLength + 12_345;
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("a/first.bin", slice(0, first));
    files.put("b/second.bin", slice(first, second));
    files.put("third.bin", slice(first + second, data.length - first - second));
    Metainfo metainfo = TestData.multiFile("swarm", pieceLength, files);

    List<int[]> order = new ArrayList<>();
    for (int piece = 0; piece < PIECES; piece++) {
      for (int begin = 0; begin < pieceLength; begin += BLOCK) {
        order.add(new int[] {piece, begin});
      }
    }
    Collections.shuffle(order, new Random(42));
    arrivals = order.toArray(int[][]::new);
    lent = Stream.generate(() -> ByteBuffer.allocateDirect(pieceLength)).limit(PIECES).toArray(ByteBuffer[]::new);

    folder = Files.createTempDirectory("piecemeal-swarm-assembly-bench");
    storage = TorrentStorage.create(metainfo, folder);
    if (reusedAndWritten() != PIECES) {
      throw new IllegalStateException("the benchmark's pieces do not verify: it would measure failures");
    }
  }

  @Benchmark
  public int fresh() throws ProtocolException, StorageException {
    return assemble(false, false);
  }

  @Benchmark
  public int reused() throws ProtocolException, StorageException {
    return assemble(true, false);
  }

  @Benchmark
  public int freshAndWritten() throws ProtocolException, StorageException {
    return assemble(false, true);
  }

  @Benchmark
  public int reusedAndWritten() throws ProtocolException, StorageException {
    return assemble(true, true);
  }

  /** Every block of the eight pieces, in the shuffled order; returns the pieces completed (written). */
  private int assemble(boolean reuse, boolean write) throws ProtocolException, StorageException {
    @SuppressWarnings("unchecked")
    PieceAssembler<String>[] pieces = new PieceAssembler[PIECES];
    int done = 0;
    for (int[] arrival : arrivals) {
      int piece = arrival[0];
      int begin = arrival[1];
      if (pieces[piece] == null) {
        pieces[piece] = reuse
            ? new PieceAssembler<>(piece, pieceLength, lent[piece])
            : new PieceAssembler<>(piece, pieceLength);
      }
      // the read from the socket: into the reused array, or a fresh one per block
      byte[] block = reuse ? socketBuffer : new byte[BLOCK];
      System.arraycopy(data, piece * pieceLength + begin, block, 0, BLOCK);
      PieceAssembler.Added added = pieces[piece].add(PEER, piece, begin, ByteBuffer.wrap(block, 0, BLOCK));
      if (added == PieceAssembler.Added.PIECE_COMPLETE) {
        if (!write || storage.verifyAndWrite(pieces[piece]) instanceof PieceVerdict.Written) {
          done++;
        }
      }
    }
    return done;
  }

  private byte[] slice(int from, int length) {
    byte[] part = new byte[length];
    System.arraycopy(data, from, part, 0, length);
    return part;
  }

  @TearDown
  public void deleteTheFiles() throws Exception {
    storage.close();
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Collections.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
