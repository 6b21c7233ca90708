#!/usr/bin/env bash
# Chapter 1 (bencode and metainfo): `piecemeal info` computes the same info-hash as real tools,
# for torrents that three real tools made, and refuses a malformed torrent the CLI's way.
#
# The info-hash is the SHA-1 of the info dictionary's bytes exactly as they appear in the file;
# real tools disagree in what they put there (transmission-create leaves zero-length files out,
# libtorrent makes v1+v2 hybrids), so each tool's torrent is a separate test of the same idea.
source "$(dirname "$0")/../lib/common.sh"
source "$INTEROP_DIR/lib/torrents.sh"

make_test_data || { fail "could not make the test data"; exit 1; }

# No tracker runs in this check; the URLs only need to be well formed.
HTTP=http://127.0.0.1:6969/announce
UDP=udp://127.0.0.1:6969/announce
T=$CHECK_WORK/torrents
mkdir -p "$T"
make_torrent_mktorrent "$(SINGLE_FILE)" "$T/single-mktorrent.torrent" 256 "$HTTP" "$UDP"
make_torrent_mktorrent "$(MULTI_ROOT)" "$T/multi-mktorrent.torrent" 32 "$HTTP" "$UDP"
make_torrent_transmission "$(SINGLE_FILE)" "$T/single-transmission.torrent" 256 "$HTTP" "$UDP"
make_torrent_transmission "$(MULTI_ROOT)" "$T/multi-transmission.torrent" 32 "$HTTP" "$UDP"
make_torrent_libtorrent "$(SINGLE_FILE)" "$T/single-libtorrent.torrent" 64 "$HTTP" "$UDP"
make_torrent_libtorrent "$(MULTI_ROOT)" "$T/multi-libtorrent.torrent" 16 "$HTTP" "$UDP"
make_torrent_libtorrent_hybrid "$(MULTI_ROOT)" "$T/multi-libtorrent-hybrid.torrent" 16 "$HTTP"

# piecemeal_infohash TORRENT NAME: set PM_HASH to the hash on `piecemeal info`'s "info hash:"
# line; return 1 (and record the failure) when the command failed.
piecemeal_infohash() {
  run_piecemeal "$2" info "$1"
  if ((PM_STATUS != 0)); then
    fail "piecemeal info $(basename "$1") exited $PM_STATUS: $(head -n 1 <<<"$PM_ERR")"
    return 1
  fi
  PM_HASH=$(sed -nE 's/^[[:space:]]*info hash:[[:space:]]+([0-9a-f]{40})[[:space:]]*$/\1/p' <<<"$PM_OUT")
}

# compare_with TORRENT WITNESS...: piecemeal's info-hash against each real tool's.
compare_with() {
  local torrent=$1 name expected witness
  shift
  name=$(basename "$torrent" .torrent)
  piecemeal_infohash "$torrent" "info-$name" || return
  for witness in "$@"; do
    expected=$("infohash_$witness" "$torrent")
    if [[ -z "$expected" ]]; then
      fail "$name: $witness could not read the torrent"
    else
      check_equal "$name: info hash from piecemeal vs $witness" "$expected" "$PM_HASH"
    fi
  done
}

compare_with "$T/single-mktorrent.torrent" transmission libtorrent
compare_with "$T/multi-mktorrent.torrent" transmission libtorrent
compare_with "$T/single-transmission.torrent" transmission libtorrent
compare_with "$T/multi-transmission.torrent" transmission libtorrent
compare_with "$T/single-libtorrent.torrent" transmission libtorrent
compare_with "$T/multi-libtorrent.torrent" transmission libtorrent
# Transmission 3.00 cannot parse a v1+v2 hybrid torrent at all; libtorrent is the witness.
compare_with "$T/multi-libtorrent-hybrid.torrent" libtorrent
compare_with "$ROOT_DIR/samples/piecemeal-sample.torrent" transmission libtorrent

# expect_bad_input NAME FILE: `piecemeal info FILE` exits 2 with exactly one "error: " line on
# stderr (no stack trace).
expect_bad_input() {
  local name=$1 file=$2
  run_piecemeal "info-${name// /-}" info "$file"
  local lines first
  lines=$(grep -c '' <<<"$PM_ERR")
  first=$(head -n 1 <<<"$PM_ERR")
  if ((PM_STATUS == 2)) && ((lines == 1)) && [[ "$first" == "error: "* ]]; then
    pass "$name: exit 2 and one line on stderr: $first"
  else
    fail "$name: expected exit 2 and one 'error: ' line on stderr, got exit $PM_STATUS and $lines line(s): $first"
  fi
}

# A torrent cut in the middle of its pieces string, as an interrupted download leaves it.
full=$T/multi-mktorrent.torrent
head -c $(($(stat -c %s "$full") / 2)) "$full" >"$T/truncated.torrent"
expect_bad_input "truncated torrent" "$T/truncated.torrent"
expect_bad_input "missing file" "$T/does-not-exist.torrent"
