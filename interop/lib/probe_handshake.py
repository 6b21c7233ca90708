#!/usr/bin/python3
"""Send one BitTorrent handshake (BEP 3) and print what the peer answers: its peer id and the
reserved bits it sets. A witness independent of Piecemeal, used to learn what each real client
advertises (the facts in interop/README.md).

  probe_handshake.py INFO_HASH_HEX HOST PORT
"""
import socket
import sys

info_hash, host, port = bytes.fromhex(sys.argv[1]), sys.argv[2], int(sys.argv[3])
# 19 | "BitTorrent protocol" | 8 reserved bytes (all zero: we claim no extension) | hash | peer id
ours = b"\x13BitTorrent protocol" + bytes(8) + info_hash + b"-PR0001-probeprobe12"
with socket.create_connection((host, port), timeout=10) as s:
    s.sendall(ours)
    theirs = b""
    while len(theirs) < 68:
        chunk = s.recv(68 - len(theirs))
        if not chunk:
            sys.exit("connection closed after %d of 68 bytes" % len(theirs))
        theirs += chunk
reserved = theirs[20:28]
names = []
if reserved[7] & 0x01:
    names.append("BEP5-DHT")
if reserved[7] & 0x04:
    names.append("BEP6-fast")
if reserved[5] & 0x10:
    names.append("BEP10-extension-protocol")
print("reserved %s  peer id %r  extensions %s" % (reserved.hex(), theirs[48:68], ", ".join(names) or "none"))
