#!/usr/bin/env bash
# Harness self-test: no Piecemeal here. It proves that every seeder the other checks rely on
# really serves data over 127.0.0.1, by letting another real client download from it alone and
# comparing SHA-256 sums. If this check fails, fix the harness before reading any other failure.
#
#   Transmission seeds  -> aria2c downloads       (single file)
#   libtorrent seeds    -> aria2c downloads       (single file)
#   aria2c seeds        -> libtorrent downloads   (single file, and the multi-file torrent with
#                                                  nested folders and a zero-length file)
source "$(dirname "$0")/../lib/common.sh"
source "$INTEROP_DIR/lib/torrents.sh"
source "$INTEROP_DIR/lib/tracker.sh"
source "$INTEROP_DIR/lib/seeders.sh"

make_test_data || { fail "could not make the test data"; exit 1; }
pick_tracker_port || exit 1

# One torrent per seeder, so each swarm holds exactly one seeder: the same file cut into pieces of
# different sizes gives different info-hashes. aria2 can announce over http:// only.
T=$CHECK_WORK/torrents
mkdir -p "$T"
make_torrent_mktorrent "$(SINGLE_FILE)" "$T/for-transmission.torrent" 256 "$TRACKER_HTTP"
make_torrent_mktorrent "$(SINGLE_FILE)" "$T/for-libtorrent.torrent" 128 "$TRACKER_HTTP"
make_torrent_mktorrent "$(SINGLE_FILE)" "$T/for-aria2.torrent" 64 "$TRACKER_HTTP"
make_torrent_mktorrent "$(MULTI_ROOT)" "$T/multi-for-aria2.torrent" 32 "$TRACKER_HTTP"
hashes=()
for t in "$T"/*.torrent; do hashes+=("$(infohash_libtorrent "$t")"); done
start_opentracker "${hashes[@]}" || exit 1

# serve_one KIND TORRENT SRC_DIR DOWNLOADER: start one seeder of KIND, wait until the tracker
# lists it as the only seeder, let DOWNLOADER (aria2 | libtorrent) fetch the torrent, compare.
serve_one() {
  local kind=$1 torrent=$2 src=$3 downloader=$4
  local short label
  short=$(basename "$torrent" .torrent)
  local name=$kind-seeds-$short
  label="$downloader downloads $short from $kind alone"
  copy_data "$src" "$CHECK_WORK/$name-data"
  "start_${kind}_seeder" "$name" "$torrent" "$CHECK_WORK/$name-data" || return
  local hash
  hash=$(infohash_libtorrent "$torrent")
  wait_for_seeders "$hash" 1 30 || return
  local out=$CHECK_WORK/$name-download started=$SECONDS
  if "${downloader}_download" "$downloader-downloads-$short" "$torrent" "$out" 90; then
    log "$label: done in $((SECONDS - started)) s"
    same_files "$label" "$src" "$out"
  else
    fail "$label: the downloader did not finish within 90 s"
  fi
  stop "$name"
}

serve_one transmission "$T/for-transmission.torrent" "$(SINGLE_DIR)" aria2
serve_one libtorrent "$T/for-libtorrent.torrent" "$(SINGLE_DIR)" aria2
serve_one aria2 "$T/for-aria2.torrent" "$(SINGLE_DIR)" libtorrent
serve_one aria2 "$T/multi-for-aria2.torrent" "$(MULTI_DIR)" libtorrent
