#!/usr/bin/env bash
# Chapter 12 (the DHT): Piecemeal's DHT node and libtorrent 2.0's, on 127.0.0.1, with no tracker
# that answers (the torrent names a port nobody listens on).
#
#   1. `piecemeal seed --dht-bootstrap B` announces into a two-node libtorrent DHT (B, C); node C
#      downloads the torrent, its only peer found through the DHT, byte for byte.
#   2. libtorrent node C seeds and announces; `piecemeal download --dht-bootstrap B`, with no
#      --peer, finds it through the DHT and downloads byte for byte (with --trace, which prints
#      each answer its get_peers lookup got: chapter 12's hop-by-hop trace).
#   3. `piecemeal seed` of a torrent with no tracker at all announces into the two-node DHT; a
#      third libtorrent node L, knowing only the magnet link and B, gets the metadata (ut_metadata)
#      and every byte from Piecemeal.
#   4. A libtorrent node whose only bootstrap node is Piecemeal's DHT endpoint fills its routing
#      table from Piecemeal's answers and finds the seeder by its own lookups.
#   5. A magnet link and nothing else: libtorrent node C seeds the trackerless torrent;
#      `piecemeal download 'magnet:?xt=urn:btih:HASH&dn=NAME' --dht-bootstrap B` (no tr, no x.pe,
#      no --peer) finds it through the DHT in the metadata phase, fetches the metadata from it and
#      downloads byte for byte, with one DHT node for the run (--dht-trace: the lookup's answers).
#
# Transmission 3.00 takes no part: its DHT drops every packet from 127.0.0.0/8 (INTEROP.md).
source "$(dirname "$0")/../lib/common.sh"
source "$INTEROP_DIR/lib/torrents.sh"
source "$INTEROP_DIR/lib/piecemeal.sh"

make_test_data || { fail "could not make the test data"; exit 1; }
T=$CHECK_WORK/torrents
mkdir -p "$T"
DEAD_TRACKER="http://127.0.0.1:$(free_port)/announce"
make_torrent_libtorrent "$(SINGLE_FILE)" "$T/dht.torrent" 32 "$DEAD_TRACKER"
export PIECEMEAL_TIMEOUT=120

# 1. Piecemeal seeds, libtorrent downloads
B=$(free_port) C=$(free_port)
out=$CHECK_WORK/lt-out
mkdir -p "$out"
start_bg lt-fetch 100 "$LT_PYTHON" "$INTEROP_DIR/lib/lt_dht.py" "$B" "$C" fetch "$T/dht.torrent" "$out" 60
wait_until 20 grep -qx ready "$CHECK_WORK/logs/lt-fetch.log" || fail "libtorrent's nodes did not start"
start_piecemeal pm-seed seed "$T/dht.torrent" -d "$(SINGLE_DIR)" --bind 127.0.0.1 --port "$(free_port)" \
  --dht-port "$(free_port)" --dht-bootstrap "127.0.0.1:$B" || exit 1
if wait_until 70 grep -q '^done in ' "$CHECK_WORK/logs/lt-fetch.log"; then
  pass "libtorrent found piecemeal seed through the DHT: $(grep '^done in ' "$CHECK_WORK/logs/lt-fetch.log")"
  same_files "libtorrent from piecemeal seed, found in the DHT" "$(SINGLE_DIR)" "$out"
else
  fail "libtorrent did not download from piecemeal seed: $(tail -n 1 "$CHECK_WORK/logs/lt-fetch.log")"
fi
interrupt_piecemeal pm-seed
finish_piecemeal pm-seed 30
stop lt-fetch

# 2. libtorrent seeds, Piecemeal downloads
B=$(free_port) C=$(free_port)
seed_data=$CHECK_WORK/lt-seed
copy_data "$(SINGLE_DIR)" "$seed_data"
start_bg lt-seed 100 "$LT_PYTHON" "$INTEROP_DIR/lib/lt_dht.py" "$B" "$C" seed "$T/dht.torrent" "$seed_data" 90
if ! wait_until 40 grep -qx seeding "$CHECK_WORK/logs/lt-seed.log"; then
  fail "libtorrent did not start seeding: $(tail -n 1 "$CHECK_WORK/logs/lt-seed.log")"
  exit 1
fi
pm_out=$CHECK_WORK/pm-out
run_piecemeal pm-download download "$T/dht.torrent" -o "$pm_out" --bind 127.0.0.1 --port "$(free_port)" \
  --dht-port "$(free_port)" --dht-bootstrap "127.0.0.1:$B" --give-up-after 30 --trace
if ((PM_STATUS == 0)); then
  pass "piecemeal download found libtorrent's seeder through the DHT: $(grep -c '^dht: get_peers .* answered by' <<<"$PM_OUT") answers traced"
  same_files "piecemeal download from libtorrent, found in the DHT" "$(SINGLE_DIR)" "$pm_out"
else
  fail "piecemeal download exited $PM_STATUS: $(tail -n 1 <<<"$PM_ERR")"
fi
grep '^dht: ' <<<"$PM_OUT" >"$CHECK_WORK/logs/lookup-trace.txt"
stop lt-seed

# 3. a torrent with no tracker: Piecemeal seeds it into the DHT; libtorrent has only the magnet link
make_torrent_libtorrent "$(SINGLE_FILE)" "$T/trackerless.torrent" 32
HASH=$(infohash_libtorrent "$T/trackerless.torrent")
B=$(free_port) C=$(free_port) PM_DHT=$(free_port)
# 16 more nodes besides B and C, so that a lookup takes hops (chapter 12 shows the seed's, --dht-trace)
start_bg lt-nodes 200 "$LT_PYTHON" "$INTEROP_DIR/lib/lt_dht.py" "$B" "$C" nodes - - 180 16
wait_until 20 grep -qx ready "$CHECK_WORK/logs/lt-nodes.log" || fail "libtorrent's nodes did not start"
export PIECEMEAL_TIMEOUT=200
start_piecemeal pm-seed3 seed "$T/trackerless.torrent" -d "$(SINGLE_DIR)" --bind 127.0.0.1 --port "$(free_port)" \
  --dht-port "$PM_DHT" --dht-bootstrap "127.0.0.1:$B" --dht-state "$CHECK_WORK/seed3-dht.dat" --dht-trace || exit 1
await_piecemeal_line pm-seed3 '^dht: get_peers .*announce_peer .* to [1-9]' 30 || exit 1
size=$(stat -c %s "$(SINGLE_FILE)")
for case in "3:$B:B, a libtorrent node" "4:$PM_DHT:piecemeal's DHT endpoint"; do
  IFS=: read -r n bootstrap what <<<"$case"
  out=$CHECK_WORK/lt-magnet-$n
  timeout --kill-after=5 90 "$LT_PYTHON" "$INTEROP_DIR/lib/lt_dht_magnet.py" "$(free_port)" "$bootstrap" "$HASH" \
    "$out" 80 >"$CHECK_WORK/logs/lt-magnet-$n.log" 2>&1
  status=$?
  log "lt-magnet-$n: $(tr '\n' ';' <"$CHECK_WORK/logs/lt-magnet-$n.log")"
  # every byte from Piecemeal: the only peer libtorrent was ever connected to is -PM…
  from_pm=$(sed -n 's/^received \([0-9]*\) bytes from -PM[0-9]*-$/\1/p' "$CHECK_WORK/logs/lt-magnet-$n.log")
  nodes=$(sed -n 's/^dht nodes //p' "$CHECK_WORK/logs/lt-magnet-$n.log")
  if ((status == 0)) && [[ -n "$from_pm" ]] && ((from_pm >= size)); then
    pass "libtorrent bootstrapped from $what ($nodes nodes learned), magnet link only: $(grep '^done in ' "$CHECK_WORK/logs/lt-magnet-$n.log"), $from_pm bytes from piecemeal seed"
    same_files "libtorrent from the trackerless piecemeal seed ($what)" "$(SINGLE_DIR)" "$out"
  else
    fail "libtorrent bootstrapped from $what: exit $status, $(tail -n 1 "$CHECK_WORK/logs/lt-magnet-$n.log")"
  fi
done
interrupt_piecemeal pm-seed3
finish_piecemeal pm-seed3 30
grep -a '^dht' <<<"$PM_OUT" >"$CHECK_WORK/logs/seed-lookup-trace.txt"
stop lt-nodes

# 5. a magnet link and nothing else: libtorrent seeds the trackerless torrent, Piecemeal has only
#    the info-hash and one bootstrap node
B=$(free_port) C=$(free_port)
seed_data=$CHECK_WORK/lt-seed5
copy_data "$(SINGLE_DIR)" "$seed_data"
start_bg lt-seed5 100 "$LT_PYTHON" "$INTEROP_DIR/lib/lt_dht.py" "$B" "$C" seed "$T/trackerless.torrent" "$seed_data" 90
if ! wait_until 40 grep -qx seeding "$CHECK_WORK/logs/lt-seed5.log"; then
  fail "libtorrent did not start seeding the trackerless torrent: $(tail -n 1 "$CHECK_WORK/logs/lt-seed5.log")"
  exit 1
fi
export PIECEMEAL_TIMEOUT=120
pm_out=$CHECK_WORK/pm-magnet
run_piecemeal pm-magnet download "magnet:?xt=urn:btih:$HASH&dn=$(basename "$(SINGLE_FILE)")" -o "$pm_out" \
  --bind 127.0.0.1 --port "$(free_port)" --dht-port "$(free_port)" --dht-bootstrap "127.0.0.1:$B" \
  --state-dir "$CHECK_WORK/magnet-state" --give-up-after 30 --dht-trace
grep -a -v '%  ' <<<"$PM_OUT" >"$CHECK_WORK/logs/magnet-run.txt"
nodes_started=$(grep -c '^dht node on ' <<<"$PM_OUT")
if ((PM_STATUS == 0)) && ((nodes_started == 1)); then
  pass "piecemeal download of a magnet link with no tr and no x.pe found libtorrent's seeder through the DHT: $(grep -a '^metadata: ' <<<"$PM_OUT" | head -n 1); one dht node for the run"
  same_files "piecemeal download from a magnet link alone, found in the DHT" "$(SINGLE_DIR)" "$pm_out"
else
  fail "piecemeal download of a magnet link alone exited $PM_STATUS, $nodes_started dht nodes started: $(tail -n 1 <<<"$PM_ERR")"
fi
stop lt-seed5
