package dev.piecemeal.client.bench;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.client.TestData;
import dev.piecemeal.storage.PieceVerifier;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * How fast one thread checks a piece against its hash: chapter 7's {@link PieceVerifier#verify},
 * the call the engine's hasher makes for every piece that arrives, over pieces of 16 KiB to 4 MiB
 * held in memory. {@code sha1Alone} is the JDK's SHA-1 over the same bytes with nothing around it,
 * so the difference between the two is what the verifier adds (a thread-local digest, a reset, a
 * 20-byte comparison). Pieces per second times the piece length is the hashing rate, and the most
 * pieces per second one hasher thread can accept.
 *
 * <p>The {@code OnTwoThreads} variants run the same call on two threads at once, each with a piece
 * of its own, as the engine's two hasher threads do ({@code PieceHasher}): JMH adds up their
 * throughput, so on two free cores it should be twice the single thread's. What falls short of
 * twice is what the threads share (the memory bus, a core busy with something else: on this
 * machine, other people's builds). {@code RecheckBenchmark} measures the same through chapter 7's
 * {@code Recheck} and its threads, from a file.
 *
 * <p>What could fool it: a result nobody reads lets the JIT drop the work, so both methods return
 * theirs and JMH feeds it to a {@code Blackhole}. A hash that never matches would measure the
 * failing path only, so the setup checks that the piece does verify. The bytes are random but the
 * same on every call: SHA-1's cost does not depend on the values, so that cannot flatter it. The
 * JDK may use the CPU's SHA instructions where it has them (an intrinsic): the numbers belong to
 * this JDK on this CPU, not to Java.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class HashingBenchmark {

  @Param({"16384", "262144", "1048576", "4194304"})
  public int pieceLength;

  private ByteBuffer piece;
  private PieceVerifier verifier;
  private MessageDigest sha1;

  @Setup
  public void makeOnePiece() throws Exception {
    byte[] data = TestData.bytes(pieceLength, 1);
    Metainfo metainfo = TestData.singleFile("hashing.bin", data, pieceLength, null);
    verifier = new PieceVerifier(metainfo);
    piece = ByteBuffer.wrap(data).asReadOnlyBuffer();
    sha1 = sha1();
    if (!verifier.verify(0, piece)) {
      throw new IllegalStateException("the benchmark's piece does not verify: it would measure failures");
    }
  }

  @Benchmark
  public boolean verifyPiece() {
    return verifier.verify(0, piece);
  }

  @Benchmark
  public byte[] sha1Alone() {
    sha1.update(piece.duplicate());
    return sha1.digest();
  }

  @Benchmark
  @Threads(2)
  public boolean verifyPieceOnTwoThreads() {
    return verifier.verify(0, piece);
  }

  @Benchmark
  @Threads(2)
  public byte[] sha1AloneOnTwoThreads() {
    sha1.update(piece.duplicate());
    return sha1.digest();
  }

  private static MessageDigest sha1() throws NoSuchAlgorithmException {
    return MessageDigest.getInstance("SHA-1");
  }
}
