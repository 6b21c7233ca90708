"""Two libtorrent 2.0 sessions on 127.0.0.1 for 12-pex.sh: a seeder S and a peer M that speaks
ut_pex (BEP 11) and has no data.

  lt_pex.py PORT_S PORT_M TORRENT DATA_DIR SECONDS

S seeds TORRENT from DATA_DIR and speaks no peer exchange. M takes TORRENT in upload mode (it
downloads nothing, so it has nothing to give), connects to S, and tells the peers that connect to
it of S by ut_pex: libtorrent sends its first PEX message about a second after the extension
handshake, once it has two peers, then one a minute. Both are sessions made with no default
plugin (INTEROP.md); M gets ut_pex back, S does not. Nothing else (DHT, LSD, UPnP, NAT-PMP, uTP,
encryption) is on.

Prints "ready" once M is connected to S; then, every second, what S has sent in all and the peer
ids (first 8 bytes) of every peer it was ever connected to ("S sent N bytes to -LT2080- -PM0100-":
M, which in upload mode asks for nothing, and Piecemeal), and what M has sent in all ("M sent N
bytes"), until SECONDS have passed. S's peers are looked at 20 times a second: a download of a few
MiB on loopback can come and go within one.
"""
import sys
import time

import libtorrent as lt


def session(port):
    return lt.session({
        'listen_interfaces': '127.0.0.1:%d' % port, 'outgoing_interfaces': '127.0.0.1',
        'enable_dht': False, 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
        'dht_bootstrap_nodes': '', 'enable_incoming_utp': False, 'enable_outgoing_utp': False,
        'allow_multiple_connections_per_ip': True,
        'in_enc_policy': int(lt.enc_policy.enabled), 'out_enc_policy': int(lt.enc_policy.enabled),
        # M is upload-only: without this it would close its connection to the seeder, which it
        # cannot use, and have no one to tell of
        'close_redundant_connections': False}, 0)


def log(*parts):
    print(time.strftime('%H:%M:%S'), *parts, flush=True)


port_s, port_m, torrent, data, seconds = sys.argv[1:6]
s, m = session(int(port_s)), session(int(port_m))
m.add_extension('ut_pex')

params = lt.add_torrent_params()
params.ti = lt.torrent_info(torrent)
params.save_path = data
params.flags = 0  # neither auto-managed nor paused: it starts at once
seeder = s.add_torrent(params)

params = lt.add_torrent_params()
params.ti = lt.torrent_info(torrent)
params.save_path = data + '.empty'
params.flags = lt.torrent_flags.upload_mode
middle = m.add_torrent(params)

deadline = time.time() + float(seconds)
while time.time() < deadline and not seeder.status().is_seeding:
    time.sleep(0.1)
if not seeder.status().is_seeding:
    log('timeout: the seeder did not start seeding')
    sys.exit(1)
middle.connect_peer(('127.0.0.1', int(port_s)))
while time.time() < deadline and not any(p.ip[1] == int(port_s) for p in middle.get_peer_info()):
    time.sleep(0.1)
if not any(p.ip[1] == int(port_s) for p in middle.get_peer_info()):
    log('timeout: M did not connect to the seeder')
    sys.exit(1)
print('ready', flush=True)

seen = set()
tick = 0
while time.time() < deadline:
    for p in seeder.get_peer_info():
        if not p.pid.is_all_zeros():
            seen.add(p.pid.to_bytes()[:8].decode('ascii', 'replace'))
    if tick % 20 == 0:
        log('S sent %d bytes to %s' % (seeder.status().all_time_upload, ' '.join(sorted(seen))))
        log('M sent %d bytes' % middle.status().all_time_upload)
    tick += 1
    time.sleep(0.05)
