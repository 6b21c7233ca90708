#!/usr/bin/python3
"""libtorrent (Rasterbar, the library inside qBittorrent and Deluge) as a test partner.

Run it with Debian's /usr/bin/python3: that is the Python the python3-libtorrent package is for.

  lt_seed.py create  [--tracker URL]... [--piece-kib N] [--hybrid] PATH OUT.torrent
  lt_seed.py infohash T.torrent            print the v1 info-hash (40 lowercase hex)
  lt_seed.py seed     [--upload-limit BYTES_PER_S] T.torrent DATA_DIR PORT
  lt_seed.py download [--download-limit BYTES_PER_S] T.torrent SAVE_DIR PORT
  lt_seed.py missing  T.torrent DATA_DIR   libtorrent's own recheck: the pieces it lacks

DATA_DIR / SAVE_DIR is the folder that holds the torrent's file (single-file torrent) or its top
folder (multi-file torrent). `seed` checks the data, prints "seeding" once it serves the whole
torrent, then keeps serving until it is stopped; with --upload-limit it sends at most that many
bytes a second, to every peer together (127.0.0.1 included). `download` exits 0 once the whole torrent is
downloaded and verified, 1 if it stops with an error; before "complete" it prints one line per peer,
"received from 127.0.0.1:PORT -PM0001-: N bytes" (its address, the start of its peer id, and the
payload bytes it sent). Those counts are sampled every 0.2 s while the peers are connected, so a
download over in less than that names no one: --download-limit (every peer together, 127.0.0.1
included) makes it last long enough to be seen.
"""

import os
import sys
import time

import libtorrent as lt


def session(port):
    """A session that talks to 127.0.0.1 only, with every discovery feature off.

    The flags argument 0 means: no default plugins (ut_pex, ut_metadata, smart_ban) and no default
    features (DHT, local service discovery, UPnP, NAT-PMP), so nothing leaves loopback.
    """
    settings = {
        "listen_interfaces": "127.0.0.1:%d" % port,
        "outgoing_interfaces": "127.0.0.1",
        "enable_dht": False,
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "dht_bootstrap_nodes": "",
        # TCP only: uTP off in both directions.
        "enable_incoming_utp": False,
        "enable_outgoing_utp": False,
        # Every peer in these tests is 127.0.0.1; without this a second one is refused.
        "allow_multiple_connections_per_ip": True,
        # Plain BitTorrent: accept and make unencrypted connections.
        "in_enc_policy": int(lt.enc_policy.enabled),
        "out_enc_policy": int(lt.enc_policy.enabled),
        "alert_mask": int(lt.alert.category_t.error_notification
                          | lt.alert.category_t.status_notification
                          | lt.alert.category_t.tracker_notification
                          | lt.alert.category_t.peer_notification),
    }
    return lt.session(settings, 0)


def log(*parts):
    print(time.strftime("%H:%M:%S"), *parts, flush=True)


def create(args):
    trackers, piece_kib, hybrid = [], 0, False
    while args and args[0].startswith("--"):
        option = args.pop(0)
        if option == "--tracker":
            trackers.append(args.pop(0))
        elif option == "--piece-kib":
            piece_kib = int(args.pop(0))
        elif option == "--hybrid":
            hybrid = True
        else:
            sys.exit("unknown option " + option)
    path, out = os.path.abspath(args[0]), args[1]
    parent = os.path.dirname(path)

    # Add the files in sorted order ourselves: lt.add_files() follows the order the file system
    # lists them in, so the same folder could give a different info-hash on another machine.
    files = lt.file_storage()
    if os.path.isfile(path):
        files.add_file(os.path.basename(path), os.path.getsize(path))
    else:
        found = []
        for folder, subfolders, names in os.walk(path):
            subfolders.sort()
            for name in names:
                full = os.path.join(folder, name)
                found.append(os.path.relpath(full, parent))
        for rel in sorted(found):
            files.add_file(rel, os.path.getsize(os.path.join(parent, rel)))

    # libtorrent 2 makes hybrid v1+v2 torrents by default (with pad files between files);
    # v1_only gives the plain BEP 3 torrent the book's chapters read.
    flags = 0 if hybrid else lt.create_torrent.v1_only
    torrent = lt.create_torrent(files, piece_kib * 1024, flags=flags)
    for tier, url in enumerate(trackers):
        torrent.add_tracker(url, tier)
    torrent.set_creator("libtorrent " + lt.__version__)
    lt.set_piece_hashes(torrent, parent)
    with open(out, "wb") as f:
        f.write(lt.bencode(torrent.generate()))


def infohash(args):
    info = lt.torrent_info(args[0])
    print(str(info.info_hashes().v1))


def add(ses, torrent_path, save_dir):
    params = lt.add_torrent_params()
    params.ti = lt.torrent_info(torrent_path)
    params.save_path = save_dir
    # Announce and connect at once; no automatic queueing that could hold the torrent back.
    params.flags &= ~lt.torrent_flags.auto_managed
    params.flags &= ~lt.torrent_flags.paused
    return ses.add_torrent(params)


def report_alerts(ses):
    for alert in ses.pop_alerts():
        log("alert:", type(alert).__name__, alert.message())


def limit_rate(ses, setting, bytes_per_second):
    """Caps the session's upload or download rate (setting) for every peer, those on 127.0.0.1 too.

    libtorrent puts peers on a local network (loopback included) in its "local" peer class, which
    the session's rate limits do not apply to. A peer class filter that gives every IPv4 address
    the global class alone makes the limit hold for them as well.
    """
    everyone = lt.ip_filter()
    everyone.add_rule("0.0.0.0", "255.255.255.255", 1 << lt.session.global_peer_class_id)
    ses.set_peer_class_filter(everyone)
    ses.apply_settings({setting: bytes_per_second})


def seed(args):
    upload_limit = 0
    if args and args[0] == "--upload-limit":
        upload_limit = int(args[1])
        args = args[2:]
    torrent_path, data_dir, port = args[0], args[1], int(args[2])
    ses = session(port)
    if upload_limit > 0:
        limit_rate(ses, "upload_rate_limit", upload_limit)
        log("upload limited to %d bytes/s" % upload_limit)
    handle = add(ses, torrent_path, data_dir)
    log("listening on 127.0.0.1:%d, peer id prefix %s" % (port, ses.get_settings()["peer_fingerprint"]))
    said_seeding = False
    while True:
        report_alerts(ses)
        status = handle.status()
        if status.errc.value() != 0:
            log("error:", status.errc.message())
            sys.exit(1)
        if status.is_seeding and not said_seeding:
            log("seeding")
            said_seeding = True
        time.sleep(0.5)


def peer_name(peer):
    """A peer as "127.0.0.1:PORT -XX0000-": its address and the printable start of its peer id."""
    prefix = bytes(peer.pid.to_bytes()[:8]).decode("ascii", "replace")
    return "%s:%d %s" % (peer.ip[0], peer.ip[1], "".join(c if c.isprintable() else "?" for c in prefix))


def download(args):
    download_limit = 0
    if args and args[0] == "--download-limit":
        download_limit = int(args[1])
        args = args[2:]
    torrent_path, save_dir, port = args[0], args[1], int(args[2])
    os.makedirs(save_dir, exist_ok=True)
    ses = session(port)
    if download_limit > 0:
        limit_rate(ses, "download_rate_limit", download_limit)
        log("download limited to %d bytes/s" % download_limit)
    handle = add(ses, torrent_path, save_dir)
    log("listening on 127.0.0.1:%d" % port)
    last = -1
    received = {}  # peer name -> the most payload bytes we have seen it send us
    while True:
        report_alerts(ses)
        for peer in handle.get_peer_info():
            name = peer_name(peer)
            received[name] = max(received.get(name, 0), peer.total_download)
        status = handle.status()
        if status.errc.value() != 0:
            log("error:", status.errc.message())
            sys.exit(1)
        percent = int(status.progress * 100)
        if percent != last:
            log("%d%% from %d peers" % (percent, status.num_peers))
            last = percent
        if status.is_seeding:
            # Who sent what, as libtorrent counted it while the peers were connected (sampled every
            # 0.2 s, so the last moments before a peer left may be missing).
            for name, total in sorted(received.items()):
                log("received from %s: %d bytes" % (name, total))
            log("complete")
            ses.remove_torrent(handle)
            return
        time.sleep(0.2)


def missing(args):
    """Print the indices of the pieces libtorrent finds missing or bad in DATA_DIR, one line,
    separated by spaces (empty when it has them all). Nothing is downloaded: no tracker, no peer."""
    torrent_path, data_dir = args[0], args[1]
    ses = session(0)
    params = lt.add_torrent_params()
    params.ti = lt.torrent_info(torrent_path)
    params.save_path = data_dir
    params.trackers = []
    params.flags &= ~lt.torrent_flags.auto_managed
    params.flags &= ~lt.torrent_flags.paused
    # Upload mode: check what is there, never write or create a file.
    params.flags |= lt.torrent_flags.upload_mode
    handle = ses.add_torrent(params)
    handle.replace_trackers([])
    deadline = time.time() + 60
    while time.time() < deadline:
        alerts = ses.pop_alerts()
        if any(isinstance(a, lt.torrent_checked_alert) for a in alerts):
            break
        time.sleep(0.1)
    else:
        sys.exit("libtorrent did not finish checking within 60 s")
    have = handle.status(lt.status_flags_t.query_pieces).pieces
    print(" ".join(str(i) for i, ok in enumerate(have) if not ok))


if __name__ == "__main__":
    command, rest = sys.argv[1], sys.argv[2:]
    {"create": create, "infohash": infohash, "seed": seed, "download": download,
     "missing": missing}[command](rest)
