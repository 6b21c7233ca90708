"""One libtorrent 2.0 DHT node on 127.0.0.1 that downloads a torrent knowing only its magnet link
and one bootstrap node, for 12-dht.sh.

  lt_dht_magnet.py PORT BOOTSTRAP_PORT INFO_HASH OUT_DIR SECONDS

The node's only bootstrap node is 127.0.0.1:BOOTSTRAP_PORT (libtorrent's own default, a public
router, is replaced), and it is told of no other node: every node it learns of, it learns from
the bootstrap node's answers. Prints "dht nodes N" once its routing table holds a node (N nodes),
then adds magnet:?xt=urn:btih:INFO_HASH (no tracker, no peer) and fetches the metadata
(ut_metadata) and the data from the peers its get_peers lookup finds; prints "done in S s" and
"received N bytes from ID ..." (the payload downloaded, and the first 8 bytes of the peer id of
every peer it was ever connected to). Exits 1 if that has not happened within SECONDS.
"""
import sys
import time

import libtorrent as lt

port, bootstrap, info_hash, out, seconds = sys.argv[1:6]
s = lt.session({
    'listen_interfaces': '127.0.0.1:%s' % port, 'outgoing_interfaces': '127.0.0.1',
    'enable_dht': True, 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
    'dht_bootstrap_nodes': '127.0.0.1:%s' % bootstrap, 'dht_restrict_routing_ips': False,
    'dht_restrict_search_ips': False, 'dht_block_ratelimit': 100000,
    'enable_incoming_utp': False, 'enable_outgoing_utp': False,
    'allow_multiple_connections_per_ip': True}, 0)
s.add_extension('ut_metadata')
deadline = time.time() + float(seconds)


def dht_nodes():
    s.post_dht_stats()
    for alert in s.pop_alerts():
        if isinstance(alert, lt.dht_stats_alert):
            return sum(bucket['num_nodes'] for bucket in alert.routing_table)
    return 0


nodes = 0
while time.time() < deadline and nodes == 0:
    time.sleep(0.2)
    nodes = dht_nodes()
if nodes == 0:
    print('timeout: no node in the routing table', flush=True)
    sys.exit(1)
print('dht nodes %d' % nodes, flush=True)
time.sleep(1)  # something asked of the DHT right after its table fills can be lost (INTEROP.md)

params = lt.parse_magnet_uri('magnet:?xt=urn:btih:%s' % info_hash)
params.save_path = out
handle = s.add_torrent(params)
started = time.time()
seen = set()
while time.time() < deadline:
    for p in handle.get_peer_info():
        if not p.pid.is_all_zeros():  # a connection still in its handshake has no id yet
            seen.add(p.pid.to_bytes()[:8].decode('ascii', 'replace'))
    status = handle.status()
    if status.is_seeding:
        print('done in %.2f s' % (time.time() - started), flush=True)
        print('received %d bytes from %s' % (status.total_payload_download, ' '.join(sorted(seen))), flush=True)
        sys.exit(0)
    time.sleep(0.05)
print('timeout: %s, %d peers, metadata %s' % (handle.status().state, handle.status().num_peers,
                                              handle.status().has_metadata), flush=True)
sys.exit(1)
