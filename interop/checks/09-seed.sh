#!/usr/bin/env bash
# Chapter 9 (uploading): real clients download a torrent from `piecemeal seed` alone, found through
# opentracker (HTTP), and every file they write has the SHA-256 of the original.
#
#   leecher             torrent                                        made by
#   aria2 1.36          single file, 64 KiB pieces                     mktorrent
#   aria2 1.36          multi-file: nested folders, empty.dat; 32 KiB  libtorrent
#   libtorrent 2.0      single file, 16 KiB pieces                     libtorrent
#   libtorrent 2.0      multi-file, 128 KiB pieces                     mktorrent
#   transmission-cli    single file, 256 KiB pieces                    transmission-create
#
# Each row is its own torrent (so its own swarm) with its own `piecemeal seed -d DATA --bind
# 127.0.0.1 --port P --announce-interval 2`, on a copy of the data. Before the leecher starts, the
# tracker must count Piecemeal as a seeder (it announced left=0). Afterwards, Ctrl-C (SIGINT to the
# JVM): exit 130, a "tracker URL: stopped" line, and the last line "seeded: uploaded SIZE (ratio
# R), until stopped" with R at least 1.00 (the leecher had no one else to get the data from); and
# the seeder's copy of the data is byte for byte as it was, no file added (seeding reads only).
#
# Transmission 3.00 never dials a peer on 127.0.0.0/8: it gets the data only because Piecemeal
# dials it. Piecemeal learns its address from the tracker at its next announce, 2 s at most
# (--announce-interval 2), where opentracker's own interval is 30 minutes. Transmission does not
# create zero-length files, so its row is a single file.
#
# aria2 and libtorrent dial Piecemeal; its choker gives an interested peer a free upload slot at
# once.
source "$(dirname "$0")/../lib/common.sh"
source "$INTEROP_DIR/lib/torrents.sh"
source "$INTEROP_DIR/lib/tracker.sh"
source "$INTEROP_DIR/lib/seeders.sh"
source "$INTEROP_DIR/lib/piecemeal.sh"

make_test_data || { fail "could not make the test data"; exit 1; }
pick_tracker_port || exit 1

T=$CHECK_WORK/torrents
mkdir -p "$T"
make_torrent_mktorrent "$(SINGLE_FILE)" "$T/single-mktorrent-64k.torrent" 64 "$TRACKER_HTTP"
make_torrent_libtorrent "$(MULTI_ROOT)" "$T/multi-libtorrent-32k.torrent" 32 "$TRACKER_HTTP"
make_torrent_libtorrent "$(SINGLE_FILE)" "$T/single-libtorrent-16k.torrent" 16 "$TRACKER_HTTP"
make_torrent_mktorrent "$(MULTI_ROOT)" "$T/multi-mktorrent-128k.torrent" 128 "$TRACKER_HTTP"
make_torrent_transmission "$(SINGLE_FILE)" "$T/single-transmission-create-256k.torrent" 256 "$TRACKER_HTTP"
declare -A HASH=()
for t in "$T"/*.torrent; do HASH[$(basename "$t" .torrent)]=$(infohash_libtorrent "$t"); done
if (($(printf '%s\n' "${HASH[@]}" | sort -u | wc -l) != ${#HASH[@]})); then
  fail "two torrents have the same info-hash, so their swarms would mix: ${HASH[*]}"
  exit 1
fi
start_opentracker "${HASH[@]}" || exit 1

# Every seeder ends by Ctrl-C; PIECEMEAL_TIMEOUT bounds it if something goes wrong.
export PIECEMEAL_TIMEOUT=240
LEECH_SECONDS=120

# seed_to LEECHER TORRENT_NAME SRC_DIR: one row of the table above.
seed_to() {
  local leecher=$1 name=$2 src=$3
  local torrent=$T/$name.torrent label="$leecher from piecemeal seed alone, $name"
  local data=$CHECK_WORK/seed-$name-data seeder=seed-$name
  copy_data "$src" "$data"
  local before
  before=$(sums "$data")

  # 1. the seeder: rechecks, says it seeds, and the tracker counts it as a seeder (left=0)
  start_piecemeal "$seeder" seed "$torrent" -d "$data" --bind 127.0.0.1 --port "$(free_port)" \
    --announce-interval 2 || return
  await_piecemeal_line "$seeder" '^seeding until stopped$' 60 || { finish_piecemeal "$seeder" 1; return; }
  local listening
  listening=$(grep -m 1 '^listening on ' "$CHECK_WORK/logs/$seeder.out")
  if wait_for_seeders "${HASH[$name]}" 1 30; then
    pass "$label: the tracker counts Piecemeal as a seeder ($listening, left=0)"
  fi

  # 2. the leecher, with no one but Piecemeal to download from
  local out=$CHECK_WORK/$leecher-$name started=$SECONDS
  if "${leecher}_download" "$leecher-$name" "$torrent" "$out" "$LEECH_SECONDS"; then
    pass "$label: $leecher finished in $((SECONDS - started)) s"
    same_files "$label" "$src" "$out"
  else
    fail "$label: $leecher did not finish within $LEECH_SECONDS s (exit $?)"
  fi

  # 3. Ctrl-C: stopped to the tracker, exit 130, what went out; the data as it was
  interrupt_piecemeal "$seeder"
  finish_piecemeal "$seeder" 30
  local last ratio
  last=$(tail -n 1 <<<"$PM_OUT")
  ratio=$(sed -nE 's/^seeded: uploaded .* \(ratio ([0-9.]+)\), until stopped$/\1/p' <<<"$last")
  if ((PM_STATUS == 130)) && [[ -n "$ratio" ]] && ratio_at_least "$ratio" 1.00; then
    pass "$label: Ctrl-C, exit 130, $last"
  else
    fail "$label: expected exit 130 and 'seeded: uploaded ... (ratio at least 1.00), until stopped', got exit $PM_STATUS: $last $(tail -n 1 <<<"$PM_ERR")"
  fi
  if grep -qx "tracker $TRACKER_HTTP: stopped" <<<"$PM_OUT"; then
    pass "$label: Piecemeal said 'stopped' to the tracker"
  else
    fail "$label: no 'tracker $TRACKER_HTTP: stopped' line"
  fi
  if [[ "$(sums "$data")" == "$before" ]]; then
    pass "$label: the seeder's data is unchanged, no file added ($(wc -l <<<"$before") files)"
  else
    fail "$label: the seeder's data changed while seeding:"
    diff <(echo "$before") <(sums "$data") | head -10 | sed 's/^/    /'
  fi
}

seed_to aria2 single-mktorrent-64k "$(SINGLE_DIR)"
seed_to aria2 multi-libtorrent-32k "$(MULTI_DIR)"
seed_to libtorrent single-libtorrent-16k "$(SINGLE_DIR)"
seed_to libtorrent multi-mktorrent-128k "$(MULTI_DIR)"
seed_to transmission single-transmission-create-256k "$(SINGLE_DIR)"
