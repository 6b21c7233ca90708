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
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
 * What it costs to put one piece together from its 16 KiB blocks with chapter 7's
 * {@link PieceAssembler}, for pieces of 256 KiB (16 blocks) and 1 MiB (64 blocks): in order, as
 * one peer sends them; in a shuffled order, as blocks from several peers arrive; and all the way
 * to {@link TorrentStorage#verifyAndWrite}, which hashes the piece, writes it into a file in a
 * temporary folder and flushes it to the disk, as the engine's hasher does for every piece.
 *
 * <p>What could fool it: each call returns the assembler (or the verdict), so the JIT cannot drop
 * the copies as dead code. The shuffled order is drawn once, with a fixed seed, and is the same on
 * every call: it shows whether the order of arrival matters to the assembler (it should not: each
 * block is one copy to its own place), not what a real swarm's order costs in cache misses. The
 * write lands in the page cache, but {@code verifyAndWrite} flushes every piece ({@code force}),
 * so the last benchmark measures this machine's disk (a virtual disk here) as much as our code;
 * on a file system where a flush is free (tmpfs) it would look far faster. It overwrites the same
 * piece each time, so the file never grows.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class AssemblyBenchmark {
  private static final String PEER = "127.0.0.1:6881";

  @Param({"262144", "1048576"})
  public int pieceLength;

  private ByteBuffer[] blocks; // block i of piece 0, read-only
  private int[] shuffled; // the block numbers in a fixed random order
  private Path folder;
  private TorrentStorage storage;

  @Setup
  public void cutThePieceIntoBlocks() throws Exception {
    byte[] data = TestData.bytes(4 * pieceLength, 3);
    Metainfo metainfo = TestData.singleFile("assembly.bin", data, pieceLength, null);
    int count = pieceLength / PieceAssembler.BLOCK_LENGTH;
    blocks = new ByteBuffer[count];
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      blocks[i] = ByteBuffer.wrap(data, i * PieceAssembler.BLOCK_LENGTH, PieceAssembler.BLOCK_LENGTH)
          .slice().asReadOnlyBuffer();
      order.add(i);
    }
    Collections.shuffle(order, new Random(42));
    shuffled = order.stream().mapToInt(Integer::intValue).toArray();

    folder = Files.createTempDirectory("piecemeal-assembly-bench");
    storage = TorrentStorage.create(metainfo, folder);
    if (!(assembleVerifyAndWrite() instanceof PieceVerdict.Written)) {
      throw new IllegalStateException("the benchmark's piece does not verify: it would measure failures");
    }
  }

  @Benchmark
  public PieceAssembler<String> assembleInOrder() throws ProtocolException {
    PieceAssembler<String> piece = new PieceAssembler<>(0, pieceLength);
    for (int i = 0; i < blocks.length; i++) {
      piece.add(PEER, 0, i * PieceAssembler.BLOCK_LENGTH, blocks[i]);
    }
    return piece;
  }

  @Benchmark
  public PieceAssembler<String> assembleShuffled() throws ProtocolException {
    PieceAssembler<String> piece = new PieceAssembler<>(0, pieceLength);
    for (int i : shuffled) {
      piece.add(PEER, 0, i * PieceAssembler.BLOCK_LENGTH, blocks[i]);
    }
    return piece;
  }

  @Benchmark
  public PieceVerdict<String> assembleVerifyAndWrite() throws ProtocolException, StorageException {
    return storage.verifyAndWrite(assembleInOrder());
  }

  @TearDown
  public void deleteTheFile() throws Exception {
    storage.close();
    Files.deleteIfExists(folder.resolve("assembly.bin"));
    Files.deleteIfExists(folder);
  }
}
