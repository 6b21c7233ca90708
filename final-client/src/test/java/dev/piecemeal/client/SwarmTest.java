package dev.piecemeal.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.bitfield.Bitfield;
import dev.piecemeal.bitfield.PiecePicker;
import dev.piecemeal.handshake.Extensions;
import dev.piecemeal.handshake.Handshaker;
import dev.piecemeal.storage.TorrentStorage;
import dev.piecemeal.tracker.PeerAddress;
import dev.piecemeal.tracker.PeerId;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The swarm's bookkeeping of strangers' addresses, which a tracker or a peer source fills. */
class SwarmTest {
  @TempDir Path folder;

  /** A tracker that answers every second with 1,000 fresh peers, ten times over. */
  @Test
  void neverQueuesMoreThanItsCapHowManyAddressesArrive() throws Exception {
    byte[] data = TestData.bytes(64 * 1024, 41);
    Metainfo metainfo = TestData.singleFile("flood.bin", data, 16 * 1024, null);
    try (TorrentStorage storage = TorrentStorage.create(metainfo, folder);
        PieceHasher hasher = new PieceHasher(storage, 1, 4, (piece, verdict) -> {}, e -> {})) {
      DownloadOptions options = DownloadOptions.builder(folder).maxPeers(1).build();
      SharedState shared = new SharedState(metainfo, storage, new Handshaker(PeerId.random(), Extensions.none()),
          new PiecePicker<>(metainfo.totalLength(), metainfo.pieceLength(), new Bitfield(metainfo.pieceCount()),
              new Random(1)),
          new PiecesInFlight(storage, options.memoryCap(), e -> {}), hasher,
          new Progress(metainfo.totalLength(), metainfo.pieceCount(), 0),
          new BanList(), new PexPeerSource(), new DhtContacts(), options);
      Swarm swarm = new Swarm(shared);
      // The one slot goes to a peer that accepts and never answers the handshake, so no dial takes
      // addresses off the queue while we count it.
      try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        swarm.addCandidates(List.of(new PeerAddress(loopback, silent.getLocalPort())));
        assertThat(swarm.queued()).as("dialed at once").isZero();
        for (int answer = 0; answer < 10; answer++) {
          List<PeerAddress> fresh = new ArrayList<>();
          for (int i = 0; i < 1000; i++) {
            fresh.add(new PeerAddress(loopback, 20_000 + answer * 1000 + i)); // nobody listens there
          }
          swarm.addCandidates(fresh);
          assertThat(swarm.queued()).as("after answer %d", answer + 1).isLessThanOrEqualTo(Swarm.MAX_QUEUED);
        }
        swarm.addCandidates(List.of(new PeerAddress(loopback, 20_000 + 10_000)));
        assertThat(swarm.queued()).isEqualTo(Swarm.MAX_QUEUED);
      } finally {
        swarm.close();
      }
    }
  }
}
