package dev.piecemeal.client;

import dev.piecemeal.storage.PieceAssembler;
import dev.piecemeal.tracker.PeerAddress;
import java.util.List;

/**
 * A piece whose every block has arrived, on its way to the hasher, with who sent each block: if the
 * piece fails its hash check, the {@link BanList} keeps each block's hash and sender as evidence.
 *
 * @param assembler the piece's bytes
 * @param blockSenders the peer that sent block {@code i}, for each block in order
 */
record CompletePiece(PieceAssembler<PeerAddress> assembler, List<PeerAddress> blockSenders) {
  CompletePiece {
    blockSenders = List.copyOf(blockSenders);
  }

  int piece() {
    return assembler.piece();
  }
}
