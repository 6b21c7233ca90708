#!/usr/bin/python3
"""A seeder that lies, to see a downloader ban it (BEP 3 peer wire, plain TCP, no extensions).

  liar_peer.py T.torrent DATA_DIR PORT

It listens on 127.0.0.1:PORT and serves every peer that completes the handshake for T's info-hash:
a bitfield with every piece, an unchoke once the peer is interested, and then, for each piece, the
FIRST block any peer asks for is answered with wrong bytes (the right ones, each inverted), after
which it chokes that peer for 1 s (dropping every request that arrives meanwhile, as BEP 3 says a
choke does) and unchokes it again. Every later block of that piece is answered correctly. So an
honest seeder in the same swarm fills in the rest of each piece, every piece the liar touches
fails its hash check once, and the blocks the liar sent right prove nothing against the others.

It prints one line per lie ("lied: piece 3 begin 0 length 16384 to 127.0.0.1:51234"), one per
connection opened and closed (with how many blocks it sent right and how many requests it dropped
while choking), and runs until it is stopped. Only the standard library: it reads the torrent with
its own small bencode reader, and DATA_DIR is the folder that holds the torrent's file (single-file
torrent) or its top folder (multi-file torrent), as for lt_seed.py.
"""

import hashlib
import os
import socket
import struct
import sys
import threading
import time

CHOKE, UNCHOKE, INTERESTED, NOT_INTERESTED, HAVE, BITFIELD, REQUEST, PIECE, CANCEL = range(9)
IDLE_SECONDS = 60          # a connection that says nothing for this long is closed
CHOKE_SECONDS = 1.0        # how long the liar chokes a peer after each lie
MAX_MESSAGE = 1 << 20      # no message a downloader sends is larger; a larger prefix ends the connection
MAX_BLOCK = 128 * 1024     # the largest block we serve (16 KiB is what everyone asks for)


def log(*parts):
    print(time.strftime("%H:%M:%S"), *parts, flush=True)


# --- the torrent -------------------------------------------------------------------------------

def bdecode(data, i=0):
    """The value at data[i:] and the offset just after it; dictionaries as lists of (key, value,
    start, end), so that the info dictionary's own bytes can be hashed."""
    c = data[i:i + 1]
    if c == b"i":
        end = data.index(b"e", i)
        return int(data[i + 1:end]), end + 1
    if c == b"l":
        i, items = i + 1, []
        while data[i:i + 1] != b"e":
            value, i = bdecode(data, i)
            items.append(value)
        return items, i + 1
    if c == b"d":
        i, entries = i + 1, []
        while data[i:i + 1] != b"e":
            key, i = bdecode(data, i)
            start = i
            value, i = bdecode(data, i)
            entries.append((key, value, start, i))
        return entries, i + 1
    colon = data.index(b":", i)
    length = int(data[i:colon])
    return data[colon + 1:colon + 1 + length], colon + 1 + length


def entry(entries, key):
    for k, value, start, end in entries:
        if k == key:
            return value, start, end
    raise KeyError(key)


class Torrent:
    def __init__(self, path, data_dir):
        raw = open(path, "rb").read()
        root, _ = bdecode(raw)
        info, start, end = entry(root, b"info")
        self.info_hash = hashlib.sha1(raw[start:end]).digest()
        self.piece_length = entry(info, b"piece length")[0]
        name = entry(info, b"name")[0].decode()
        try:
            files = entry(info, b"files")[0]
            self.files = []
            for f in files:
                parts = [p.decode() for p in entry(f, b"path")[0]]
                self.files.append((os.path.join(data_dir, name, *parts), entry(f, b"length")[0]))
        except KeyError:
            self.files = [(os.path.join(data_dir, name), entry(info, b"length")[0])]
        self.total = sum(length for _, length in self.files)
        self.pieces = (self.total + self.piece_length - 1) // self.piece_length

    def piece_size(self, index):
        return min(self.piece_length, self.total - index * self.piece_length)

    def read(self, offset, length):
        """length bytes from offset in the torrent's byte stream, across file boundaries."""
        out = bytearray()
        for path, size in self.files:
            if length == 0:
                break
            if offset >= size:
                offset -= size
                continue
            take = min(size - offset, length)
            with open(path, "rb") as f:
                f.seek(offset)
                out += f.read(take)
            offset, length = 0, length - take
        return bytes(out)


# --- one peer ----------------------------------------------------------------------------------

LIED = set()               # the pieces we have lied about, to every peer together
LIED_LOCK = threading.Lock()


class Peer:
    def __init__(self, conn, address, torrent):
        self.conn, self.address, self.torrent = conn, "%s:%d" % address, torrent
        self.send_lock = threading.Lock()
        self.choking = True
        self.interested = False
        self.honest_blocks = 0
        self.dropped = 0

    def send(self, message_id, payload=b""):
        with self.send_lock:
            self.conn.sendall(struct.pack(">IB", 1 + len(payload), message_id) + payload)

    def read_exactly(self, n):
        data = b""
        while len(data) < n:
            chunk = self.conn.recv(n - len(data))
            if not chunk:
                raise EOFError("connection closed after %d of %d bytes" % (len(data), n))
            data += chunk
        return data

    def run(self):
        # 1. the handshake: 19 | "BitTorrent protocol" | 8 reserved | info hash | peer id
        theirs = self.read_exactly(68)
        if theirs[:20] != b"\x13BitTorrent protocol" or theirs[28:48] != self.torrent.info_hash:
            log("refused %s: not a handshake for our info-hash" % self.address)
            return
        peer_id = b"-LI0001-" + os.urandom(6).hex().encode()
        self.conn.sendall(b"\x13BitTorrent protocol" + bytes(8) + self.torrent.info_hash + peer_id)
        # 2. every piece, then messages until the peer leaves
        bits = bytearray((self.torrent.pieces + 7) // 8)
        for i in range(self.torrent.pieces):
            bits[i // 8] |= 0x80 >> (i % 8)
        self.send(BITFIELD, bytes(bits))
        while True:
            length = struct.unpack(">I", self.read_exactly(4))[0]
            if length == 0:
                continue  # keep-alive
            if length > MAX_MESSAGE:
                log("closing %s: message of %d bytes" % (self.address, length))
                return
            body = self.read_exactly(length)
            self.handle(body[0], body[1:])

    def handle(self, message_id, payload):
        if message_id == INTERESTED:
            self.interested = True
            if self.choking:
                self.unchoke()
        elif message_id == NOT_INTERESTED:
            self.interested = False
        elif message_id == REQUEST and len(payload) == 12:
            self.request(*struct.unpack(">III", payload))
        # choke, unchoke, have, bitfield, cancel (we answer at once), port, anything else: ignored

    def unchoke(self):
        self.choking = False
        self.send(UNCHOKE)

    def request(self, index, begin, length):
        if self.choking:
            self.dropped += 1  # BEP 3: requests made before a choke are dropped, not answered later
            return
        if index >= self.torrent.pieces or length > MAX_BLOCK or begin + length > self.torrent.piece_size(index):
            log("closing %s: bad request piece %d begin %d length %d" % (self.address, index, begin, length))
            raise EOFError("bad request")
        block = self.torrent.read(index * self.torrent.piece_length + begin, length)
        with LIED_LOCK:
            lie = index not in LIED
            LIED.add(index)
        if not lie:
            self.send(PIECE, struct.pack(">II", index, begin) + block)
            self.honest_blocks += 1
            return
        # 3. the lie: the right bytes inverted, then a choke, and an unchoke 1 s later
        self.send(PIECE, struct.pack(">II", index, begin) + bytes(b ^ 0xFF for b in block))
        log("lied: piece %d begin %d length %d to %s" % (index, begin, length, self.address))
        self.choking = True
        self.send(CHOKE)
        timer = threading.Timer(CHOKE_SECONDS, self.unchoke_after_lie)
        timer.daemon = True
        timer.start()

    def unchoke_after_lie(self):
        try:
            if self.interested:
                self.unchoke()
            else:
                self.choking = False
        except OSError:
            pass  # the peer has gone (it banned us, most likely)


def serve(conn, address, torrent):
    peer = Peer(conn, address, torrent)
    log("connection from %s" % peer.address)
    try:
        with conn:
            conn.settimeout(IDLE_SECONDS)
            peer.run()
    except (EOFError, OSError) as e:
        log("%s: %s" % (peer.address, e))
    log("closed %s: %d blocks sent right, %d requests dropped while choking"
        % (peer.address, peer.honest_blocks, peer.dropped))


def main(args):
    torrent = Torrent(args[0], args[1])
    port = int(args[2])
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(16)
    log("listening on 127.0.0.1:%d, %d pieces of %d bytes, info-hash %s"
        % (port, torrent.pieces, torrent.piece_length, torrent.info_hash.hex()))
    while True:
        conn, address = listener.accept()
        threading.Thread(target=serve, args=(conn, address, torrent), daemon=True,
                         name="peer-%s:%d" % address).start()


if __name__ == "__main__":
    main(sys.argv[1:])
