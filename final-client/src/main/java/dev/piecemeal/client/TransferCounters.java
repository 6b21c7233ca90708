package dev.piecemeal.client;

/**
 * The three numbers every announce reports (BEP 3, "tracker requests"), read at the moment of each
 * announce: bytes we uploaded and downloaded since the {@code started} event, and bytes we still
 * lack. {@link Progress} keeps them.
 */
interface TransferCounters {

  /** Bytes of blocks we sent to peers. */
  long uploaded();

  /** Bytes of blocks we received and kept. */
  long downloaded();

  /** Bytes of the torrent we do not have verified yet. */
  long left();
}
