#!/usr/bin/env bash
# Chapter 7 (storage: pieces laid over files, the recheck): `piecemeal verify` hashes data on
# disk against torrents that real tools made, and finds the same missing and bad pieces as
# libtorrent's own recheck of the same damaged data.
#
# The torrents differ in how files map to pieces: mktorrent keeps the zero-length file,
# transmission-create leaves it out, libtorrent's hybrid torrent puts pad files (which are not on
# disk) between files so that every file starts on a piece boundary.
source "$(dirname "$0")/../lib/common.sh"
source "$INTEROP_DIR/lib/torrents.sh"
source "$INTEROP_DIR/lib/tracker.sh"
source "$INTEROP_DIR/lib/seeders.sh"

make_test_data || { fail "could not make the test data"; exit 1; }

HTTP=http://127.0.0.1:6969/announce
T=$CHECK_WORK/torrents
mkdir -p "$T"
make_torrent_mktorrent "$(SINGLE_FILE)" "$T/single-mktorrent.torrent" 64 "$HTTP"
make_torrent_mktorrent "$(MULTI_ROOT)" "$T/multi-mktorrent.torrent" 32 "$HTTP"
make_torrent_transmission "$(SINGLE_FILE)" "$T/single-transmission.torrent" 64 "$HTTP"
make_torrent_transmission "$(MULTI_ROOT)" "$T/multi-transmission.torrent" 32 "$HTTP"
make_torrent_libtorrent "$(SINGLE_FILE)" "$T/single-libtorrent.torrent" 64 "$HTTP"
make_torrent_libtorrent "$(MULTI_ROOT)" "$T/multi-libtorrent.torrent" 32 "$HTTP"
make_torrent_libtorrent_hybrid "$(MULTI_ROOT)" "$T/multi-libtorrent-hybrid.torrent" 32 "$HTTP"

# piecemeal_pieces LABEL: the pieces on a "missing:" or "bad:" line of `piecemeal verify`, one per
# line. The line reads "none", or "3 pieces: 0-1, 9" (ranges are expanded here).
piecemeal_pieces() {
  local value
  value=$(sed -nE "s/^$1:[[:space:]]+//p" <<<"$PM_OUT")
  [[ "$value" == "none" || -z "$value" ]] && return 0
  value=${value#*: }
  local range
  for range in ${value//,/ }; do
    if [[ "$range" == *-* ]]; then seq "${range%-*}" "${range#*-}"; else echo "$range"; fi
  done
}

# 1. Intact data: every piece complete, exit 0, and the piece count is libtorrent's.
expect_complete() { # expect_complete TORRENT DATA_DIR
  local name pieces
  name=$(basename "$1" .torrent)
  pieces=$(piece_count_libtorrent "$1")
  run_piecemeal "verify-$name" verify "$1" -d "$2"
  local complete
  complete=$(sed -nE 's/^complete:[[:space:]]+([0-9,]+ of [0-9,]+ pieces).*/\1/p' <<<"$PM_OUT")
  if ((PM_STATUS == 0)) && [[ "$complete" == "$pieces of $pieces pieces" ]]; then
    pass "$name, intact data: exit 0, complete: $complete (libtorrent counts $pieces)"
  else
    fail "$name, intact data: expected exit 0 and '$pieces of $pieces pieces', got exit $PM_STATUS, '${complete:-$(head -n 1 <<<"$PM_ERR")}'"
  fi
}
for torrent in "$T"/single-*.torrent; do expect_complete "$torrent" "$(SINGLE_DIR)"; done
for torrent in "$T"/multi-*.torrent; do expect_complete "$torrent" "$(MULTI_DIR)"; done

# 2. Damaged data, the same damage for every torrent of a data set:
#    single: one byte flipped at 3,000,000; the file cut to 4,000,000 bytes
#    multi:  one byte flipped at 500,000 in docs/deep/nested/data.bin; docs/readme.md deleted;
#            z/last.bin cut from 65,537 to 65,000 bytes
flip_byte() { # flip_byte FILE OFFSET
  "$LT_PYTHON" -c 'import sys
with open(sys.argv[1], "r+b") as f:
    f.seek(int(sys.argv[2])); b = f.read(1); f.seek(int(sys.argv[2])); f.write(bytes([b[0] ^ 0xff]))' "$1" "$2"
}
damage_single() {
  flip_byte "$1/single.bin" 3000000
  truncate -s 4000000 "$1/single.bin"
}
damage_multi() {
  flip_byte "$1/piecemeal-multi/docs/deep/nested/data.bin" 500000
  rm "$1/piecemeal-multi/docs/readme.md"
  truncate -s 65000 "$1/piecemeal-multi/z/last.bin"
}

expect_same_damage() { # expect_same_damage TORRENT SOURCE_DIR DAMAGE
  local name data
  name=$(basename "$1" .torrent)
  data=$CHECK_WORK/damaged-$name
  copy_data "$2" "$data"
  "$3" "$data"
  # Piecemeal first: libtorrent runs in upload mode and writes nothing, but go first anyway.
  run_piecemeal "verify-damaged-$name" verify "$1" -d "$data"
  local ours theirs
  ours=$({ piecemeal_pieces missing; piecemeal_pieces bad; } | sort -n | paste -sd' ' -)
  theirs=$(missing_pieces_libtorrent "$1" "$data")
  if ((PM_STATUS != 1)); then
    fail "$name, damaged data: expected exit 1, got $PM_STATUS: $(head -n 1 <<<"$PM_ERR")"
  elif [[ -z "$theirs" ]]; then
    fail "$name, damaged data: libtorrent found nothing wrong, so the damage did not work"
  else
    check_equal "$name, damaged data: pieces missing or bad, piecemeal vs libtorrent" "$theirs" "$ours"
  fi
}
expect_same_damage "$T/single-mktorrent.torrent" "$(SINGLE_DIR)" damage_single
expect_same_damage "$T/single-transmission.torrent" "$(SINGLE_DIR)" damage_single
expect_same_damage "$T/multi-mktorrent.torrent" "$(MULTI_DIR)" damage_multi
expect_same_damage "$T/multi-transmission.torrent" "$(MULTI_DIR)" damage_multi
expect_same_damage "$T/multi-libtorrent-hybrid.torrent" "$(MULTI_DIR)" damage_multi

# 3. Data that a real client downloaded: aria2 fetches the multi-file torrent from a libtorrent
#    seeder; `piecemeal verify` must call aria2's result complete, as libtorrent's recheck does, and
#    after one flipped byte both must name the same bad piece.
pick_tracker_port || exit 1
make_torrent_mktorrent "$(MULTI_ROOT)" "$T/downloaded-by-aria2.torrent" 64 "$TRACKER_HTTP"
downloaded_hash=$(infohash_libtorrent "$T/downloaded-by-aria2.torrent")
start_opentracker "$downloaded_hash" || exit 1
copy_data "$(MULTI_DIR)" "$CHECK_WORK/lt-seed-data"
start_libtorrent_seeder lt-seed "$T/downloaded-by-aria2.torrent" "$CHECK_WORK/lt-seed-data" || exit 1
wait_for_seeders "$downloaded_hash" 1 30 || exit 1
fetched=$CHECK_WORK/fetched-by-aria2
if aria2_download aria2-fetch "$T/downloaded-by-aria2.torrent" "$fetched" 90; then
  find "$fetched" -name '*.aria2' -delete
  run_piecemeal verify-fetched verify "$T/downloaded-by-aria2.torrent" -d "$fetched"
  theirs=$(missing_pieces_libtorrent "$T/downloaded-by-aria2.torrent" "$fetched")
  if ((PM_STATUS == 0)) && [[ -z "$theirs" ]]; then
    pass "data aria2 downloaded: piecemeal verify exit 0 (complete), libtorrent's recheck finds nothing missing"
  else
    fail "data aria2 downloaded: piecemeal exit $PM_STATUS, libtorrent missing/bad: '${theirs:-none}'"
  fi
  flip_byte "$fetched/piecemeal-multi/docs/deep/nested/data.bin" 123456
  run_piecemeal verify-fetched-flipped verify "$T/downloaded-by-aria2.torrent" -d "$fetched"
  ours=$({ piecemeal_pieces missing; piecemeal_pieces bad; } | sort -n | paste -sd' ' -)
  theirs=$(missing_pieces_libtorrent "$T/downloaded-by-aria2.torrent" "$fetched")
  if ((PM_STATUS == 1)) && [[ -n "$theirs" ]]; then
    check_equal "data aria2 downloaded, one byte flipped: bad pieces, piecemeal vs libtorrent" "$theirs" "$ours"
  else
    fail "data aria2 downloaded, one byte flipped: piecemeal exit $PM_STATUS (expected 1), libtorrent: '${theirs:-nothing}'"
  fi
else
  fail "aria2 did not download the torrent from the libtorrent seeder within 90 s"
fi
stop lt-seed
