"""A two-node libtorrent 2.0 DHT on 127.0.0.1 (INTEROP.md, "A DHT on loopback"), for 12-dht.sh.

  lt_dht.py PORT_B PORT_C seed TORRENT DATA_DIR SECONDS    node C seeds TORRENT, announced in the DHT
                                                           (and serves its metadata, ut_metadata)
  lt_dht.py PORT_B PORT_C fetch TORRENT OUT_DIR SECONDS    node C downloads TORRENT, peers from the DHT
  lt_dht.py PORT_B PORT_C nodes - - SECONDS [MORE]          the nodes alone, for SECONDS; with MORE,
                                                           MORE nodes besides B and C, all knowing
                                                           each other (a lookup then takes hops)

Node B takes no torrent: it is the node Piecemeal bootstraps from. Both know each other as
ordinary nodes (libtorrent never puts a bootstrap entry into its table). Prints "ready" once the
nodes are up, then "seeding" or "done in S s"; exits 1 if nothing happens within SECONDS.
"""
import sys
import time

import libtorrent as lt


def node(port):
    s = lt.session({
        'listen_interfaces': '127.0.0.1:%d' % port, 'outgoing_interfaces': '127.0.0.1',
        'enable_dht': True, 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
        'dht_bootstrap_nodes': '', 'dht_restrict_routing_ips': False,
        'dht_restrict_search_ips': False, 'dht_block_ratelimit': 100000,
        'allow_multiple_connections_per_ip': True}, 0)
    s.add_extension('ut_metadata')  # a seeder found by a magnet link's peer serves the metadata too
    return s


port_b, port_c, mode, torrent, folder, seconds = sys.argv[1:7]
more = int(sys.argv[7]) if len(sys.argv) > 7 else 0
b, c = node(int(port_b)), node(int(port_c))
lab = [(b, int(port_b)), (c, int(port_c))]
for _ in range(more):
    extra = node(0)
    lab.append((extra, extra.listen_port()))
time.sleep(1)  # something asked of a node right after it starts can be lost
for session, port in lab:
    for other, other_port in lab:
        if other_port != port:
            session.add_dht_node(('127.0.0.1', other_port))
time.sleep(1)
print('ready', flush=True)
if mode == 'nodes':
    time.sleep(float(seconds))
    sys.exit(0)
params = lt.add_torrent_params()
params.ti = lt.torrent_info(torrent)
params.save_path = folder
handle = c.add_torrent(params)
deadline = time.time() + float(seconds)
started = time.time()
while time.time() < deadline:
    status = handle.status()
    if status.is_seeding:
        if mode == 'seed':
            handle.force_dht_announce()
            print('seeding', flush=True)
            time.sleep(max(0.0, deadline - time.time()))
            sys.exit(0)
        print('done in %.2f s' % (time.time() - started), flush=True)
        sys.exit(0)
    time.sleep(0.1)
print('timeout: %s, %d peers' % (handle.status().state, handle.status().num_peers), flush=True)
sys.exit(1)
