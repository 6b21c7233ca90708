package dev.piecemeal.client;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.bitfield.PiecePicker;
import dev.piecemeal.handshake.Handshaker;

/**
 * What every peer session of one download shares, each part with its own small lock: the picker
 * (chapter 6, {@code synchronized}), the pieces being assembled (one lock per piece), the hasher (a
 * queue), the counters ({@code synchronized}), the bans. None of them calls another while holding
 * its lock, and none does I/O under it, so no two locks are ever held at once and no thread waits
 * on a socket while holding one: that is why many peer threads can share them safely.
 */
record SharedState(
    Metainfo metainfo,
    Handshaker handshaker,
    PiecePicker<PeerSession> picker,
    PiecesInFlight inFlight,
    PieceHasher hasher,
    Progress progress,
    BanList bans,
    DownloadOptions options) {}
