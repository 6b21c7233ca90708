#!/usr/bin/python3
"""libtorrent 2.0 with ut_metadata (BEP 9), for magnet-link checks. Run it with /usr/bin/python3.

  lt_magnet.py seed     T.torrent DATA_DIR PORT   seed, and serve the metadata to magnet clients
  lt_magnet.py download MAGNET SAVE_DIR PORT      download from a magnet link alone

The session is lt_seed.py's (everything that leaves loopback off: DHT, LSD, UPnP, NAT-PMP, PEX,
uTP), with one plugin added back: ut_metadata. `seed` prints "seeding" once it serves the whole
torrent. `download` prints "metadata received: NAME" once it has the info dictionary, then
"complete" and exits 0 once every piece is verified.
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lt_seed  # noqa: E402
import libtorrent as lt  # noqa: E402


def session(port):
    ses = lt_seed.session(port)
    ses.add_extension("ut_metadata")
    return ses


def seed(args):
    torrent_path, data_dir, port = args[0], args[1], int(args[2])
    ses = session(port)
    handle = lt_seed.add(ses, torrent_path, data_dir)
    lt_seed.log("listening on 127.0.0.1:%d, with ut_metadata" % port)
    said = False
    while True:
        lt_seed.report_alerts(ses)
        status = handle.status()
        if status.errc.value() != 0:
            lt_seed.log("error:", status.errc.message())
            sys.exit(1)
        if status.is_seeding and not said:
            lt_seed.log("seeding")
            said = True
        time.sleep(0.5)


def download(args):
    link, save_dir, port = args[0], args[1], int(args[2])
    os.makedirs(save_dir, exist_ok=True)
    ses = session(port)
    params = lt.parse_magnet_uri(link)
    params.save_path = save_dir
    params.flags &= ~lt.torrent_flags.auto_managed
    params.flags &= ~lt.torrent_flags.paused
    handle = ses.add_torrent(params)
    lt_seed.log("listening on 127.0.0.1:%d, downloading from a magnet link" % port)
    had_metadata = False
    while True:
        lt_seed.report_alerts(ses)
        status = handle.status()
        if status.errc.value() != 0:
            lt_seed.log("error:", status.errc.message())
            sys.exit(1)
        if status.has_metadata and not had_metadata:
            lt_seed.log("metadata received: %s, from %d peers" % (status.name, status.num_peers))
            had_metadata = True
        if had_metadata and status.is_seeding:
            lt_seed.log("complete")
            ses.remove_torrent(handle)
            return
        time.sleep(0.2)


if __name__ == "__main__":
    command, rest = sys.argv[1], sys.argv[2:]
    {"seed": seed, "download": download}[command](rest)
