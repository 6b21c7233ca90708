#!/usr/bin/env bash
# Chapter 9 (uploading), in a mixed swarm: Piecemeal downloads from a real seeder and gives back
# while it seeds. Three peers of one torrent, all found through opentracker (HTTP):
#
#   libtorrent 2.0 seeder     the only source at first; its upload capped at 256 KiB/s
#   piecemeal download --seed fetches the torrent from it, then seeds until Ctrl-C
#   libtorrent 2.0 leecher    joins late, once Piecemeal seeds: two seeders to get pieces from
#
# The seeder's cap is what makes Piecemeal's part visible: the leecher could get the whole 4 MiB
# from the seeder alone in 16 s, and Piecemeal, uncapped, unchokes it at once into a free upload
# slot (or on its next 10-second round at the latest); so the leecher gets a good part from Piecemeal.
#
# Expected: Piecemeal's files intact; the leecher's files intact; the leecher's own count of the
# bytes each peer sent it (lt_seed.py download: "received from 127.0.0.1:PORT -PM0001-: N bytes")
# names Piecemeal with N > 0; then Ctrl-C (SIGINT to the JVM): exit 130, a "done: ..." line, and
# the last line "seeded: uploaded SIZE (ratio R), until stopped" with SIZE more than 0 B.
source "$(dirname "$0")/../lib/common.sh"
source "$INTEROP_DIR/lib/torrents.sh"
source "$INTEROP_DIR/lib/tracker.sh"
source "$INTEROP_DIR/lib/seeders.sh"
source "$INTEROP_DIR/lib/piecemeal.sh"

make_test_data || { fail "could not make the test data"; exit 1; }
pick_tracker_port || exit 1
T=$CHECK_WORK/torrents
mkdir -p "$T"
TORRENT=$T/swarm-libtorrent-64k.torrent
make_torrent_libtorrent "$(SINGLE_FILE)" "$TORRENT" 64 "$TRACKER_HTTP" || { fail "could not make $TORRENT"; exit 1; }
HASH=$(infohash_libtorrent "$TORRENT")
start_opentracker "$HASH" || exit 1
export PIECEMEAL_TIMEOUT=300

# 1. The real seeder, capped.
copy_data "$(SINGLE_DIR)" "$CHECK_WORK/seeder-data"
start_libtorrent_seeder seeder "$TORRENT" "$CHECK_WORK/seeder-data" $((256 * 1024)) || exit 1
wait_for_seeders "$HASH" 1 30 || exit 1

# 2. Piecemeal downloads from it, then seeds.
OUT=$CHECK_WORK/piecemeal
started=$SECONDS
start_piecemeal piecemeal download "$TORRENT" -o "$OUT" --bind 127.0.0.1 --port "$(free_port)" \
  --give-up-after 60 --seed || exit 1
if await_piecemeal_line piecemeal '^seeding until stopped$' 90; then
  pass "Piecemeal downloaded the torrent from the libtorrent seeder in $((SECONDS - started)) s and seeds it"
  same_files "Piecemeal's download" "$(SINGLE_DIR)" "$OUT"
else
  finish_piecemeal piecemeal 1
  exit 1
fi
PIECEMEAL_PORT=$(sed -nE 's/^listening on 127\.0\.0\.1:([0-9]+)$/\1/p' "$CHECK_WORK/logs/piecemeal.out")

# 3. The leecher joins late: the tracker names both seeders. Its download is held to 1 MiB/s, so
#    that it lasts long enough for lt_seed.py's 0.2 s samples to see who sent what: Piecemeal sends
#    4 MiB over loopback in less than one sample.
LEECH=$CHECK_WORK/leecher
started=$SECONDS
if libtorrent_download leecher "$TORRENT" "$LEECH" 120 --download-limit 1048576; then
  pass "the late libtorrent leecher finished in $((SECONDS - started)) s"
  same_files "the late leecher's download" "$(SINGLE_DIR)" "$LEECH"
else
  fail "the late libtorrent leecher did not finish within 120 s"
fi
# "received from 127.0.0.1:PORT -PM0001-: N bytes": Piecemeal's peer id starts -PM; libtorrent
# names it by the port it dialed (Piecemeal's listening port) or, had Piecemeal dialed, another.
from_piecemeal=$(grep -E ' received from 127\.0\.0\.1:[0-9]+ -PM[0-9]{4}-: [0-9]+ bytes$' \
  "$CHECK_WORK/logs/leecher.log" | sed -E 's/.*: ([0-9]+) bytes$/\1/' | sort -n | tail -n 1)
log "the leecher's peers: $(grep ' received from ' "$CHECK_WORK/logs/leecher.log" | cut -d' ' -f2- | paste -sd';' -)"
if [[ -n "$from_piecemeal" ]] && ((from_piecemeal > 0)); then
  pass "the leecher got $from_piecemeal bytes from Piecemeal (peer id -PM, port $PIECEMEAL_PORT), the rest from the libtorrent seeder"
else
  fail "the leecher names no Piecemeal peer that sent it bytes: $(grep ' received from ' "$CHECK_WORK/logs/leecher.log" | paste -sd';' -)"
fi

# 4. Ctrl-C: exit 130, done, and what Piecemeal uploaded.
interrupt_piecemeal piecemeal
finish_piecemeal piecemeal 30
last=$(tail -n 1 <<<"$PM_OUT")
done_line=$(grep -m 1 '^done: ' <<<"$PM_OUT")
if ((PM_STATUS == 130)) && [[ "$done_line" == *"; every piece verified"* && "$last" =~ ^seeded:\ uploaded\ ([0-9.]+\ [KMG]?i?B)\ \(ratio\ [0-9.]+\),\ until\ stopped$ \
  && "${BASH_REMATCH[1]}" != "0 B" ]]; then
  pass "Piecemeal: Ctrl-C, exit 130, $done_line; $last"
else
  fail "Piecemeal: expected exit 130, 'done: ... every piece verified' and 'seeded: uploaded (more than 0 B) ..., until stopped', got exit $PM_STATUS: ${done_line:-no done line}; $last"
fi
stop seeder
