package dev.piecemeal.client;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.bitfield.PiecePicker;
import dev.piecemeal.handshake.Handshaker;

/**
 * What every peer session of one download shares, each part with its own small lock: the picker
 * (chapter 6, {@code synchronized}), the pieces being assembled (one lock per piece), the hasher (a
 * queue), the counters ({@code synchronized}), the bans. None of them calls out while holding its
 * lock and none does I/O under it; the only code that holds one lock while taking another is the
 * swarm (it asks the picker and the bans), always in that order. One order, and no waiting on a
 * socket under a shared lock: that is why fifty peer threads can share them without deadlock.
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
