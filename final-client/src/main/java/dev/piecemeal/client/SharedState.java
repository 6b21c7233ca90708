package dev.piecemeal.client;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.bitfield.PiecePicker;
import dev.piecemeal.handshake.Handshaker;
import dev.piecemeal.storage.TorrentStorage;

/**
 * What every peer session of one download shares: the files (read for uploads; positional reads
 * take no lock), the picker (chapter 6), the pieces being assembled, the hasher (a queue), the
 * counters, the bans; where peer exchange's peers go ({@link PexPeerSource}) and what the DHT
 * tells and hears of ({@link DhtContacts}).
 *
 * <p>The locks of the engine, written once, here. A thread that holds one of them may take only
 * locks further down this list, never one above it; one order for every thread is why fifty peer
 * threads, the hasher, the announcer and the engine's turn never deadlock.
 *
 * <pre>
 * 1. the swarm            Swarm's monitor: asks the picker and the bans under it
 * 2. a session's writes   PeerSession.writeLock: picks requests and records them, and reads the
 *                         blocks it uploads from disk, while writing
 * 3. the picker           PiecePicker's monitor
 * 4. a session's pipeline RequestPipeline's monitor
 * 5. the leaves           a piece in flight (its monitor), Progress, BanList, the Announcer, the
 *                         resume saver's monitor: each takes no other lock, except those below
 * 6. the files            TorrentStorage's monitor, while it opens a file: taken under a piece's
 *                         monitor when a piece assembled on disk writes a block; takes nothing
 * 7. the log              the status line's monitor: it only prints
 * </pre>
 *
 * <p>The memory budget is two atomic counters, not a lock. A resume data save holds the saver's
 * own save lock across its flush and file write; only the engine's turn and the closing take it,
 * holding no other lock, and under it only 5 (briefly) and 6 are taken.
 *
 * <p>The write lock is the one lock held across socket I/O (and the disk reads of uploads): it
 * orders the session's writes. So
 * that nothing waits on a slow peer, only the session's own thread ever waits for it; the engine's
 * turn only tries it ({@code tryLock}), and every other thread posts to the session's outbox.
 * No other lock is held while reading or writing a socket or while waiting for another thread.
 */
record SharedState(
    Metainfo metainfo,
    TorrentStorage storage,
    Handshaker handshaker,
    PiecePicker<PeerSession> picker,
    PiecesInFlight inFlight,
    PieceHasher hasher,
    Progress progress,
    BanList bans,
    PexPeerSource pex,
    DhtContacts dht,
    DownloadOptions options) {}
