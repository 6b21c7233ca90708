#!/usr/bin/env bash
# Chapter 12 (the DHT): Piecemeal's DHT node and libtorrent 2.0's, on 127.0.0.1, with no tracker
# that answers (the torrent names a port nobody listens on).
#
#   1. `piecemeal seed --dht-bootstrap B` announces into a two-node libtorrent DHT (B, C); node C
#      downloads the torrent, its only peer found through the DHT, byte for byte.
#   2. libtorrent node C seeds and announces; `piecemeal download --dht-bootstrap B`, with no
#      --peer, finds it through the DHT and downloads byte for byte.
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
  --dht-port "$(free_port)" --dht-bootstrap "127.0.0.1:$B" --give-up-after 30 --quiet
if ((PM_STATUS == 0)); then
  pass "piecemeal download found libtorrent's seeder through the DHT"
  same_files "piecemeal download from libtorrent, found in the DHT" "$(SINGLE_DIR)" "$pm_out"
else
  fail "piecemeal download exited $PM_STATUS: $(tail -n 1 <<<"$PM_ERR")"
fi
stop lt-seed
