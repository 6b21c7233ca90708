#!/usr/bin/env bash
# Chapter 4 (the handshake, BEP 3 with the reserved bits of BEP 5, 6 and 10): `piecemeal
# handshake` completes the 68-byte handshake with three real clients and reports what they sent:
# their peer id (Azureus-style client prefix) and the extension bits they set.
#
# What each client advertises on 127.0.0.1 with DHT off was measured with lib/probe_handshake.py
# (see interop/README.md); note that libtorrent sets the DHT bit even with DHT off.
source "$(dirname "$0")/../lib/common.sh"
source "$INTEROP_DIR/lib/torrents.sh"
source "$INTEROP_DIR/lib/tracker.sh"
source "$INTEROP_DIR/lib/seeders.sh"

make_test_data || { fail "could not make the test data"; exit 1; }
pick_tracker_port || exit 1

# Three swarms of the same file (different piece sizes give different info-hashes):
#   alone     Transmission alone, for the handshake to its given address
#   others    libtorrent and aria2, for handshakes to given addresses and to the tracker's peers
#   tracker   Transmission alone, for the handshake to the tracker's peers
# Transmission keeps one connection per IP: while another seeder on 127.0.0.1 is connected to it
# (seeders in one swarm do connect to each other, briefly), it resets a new connection from
# 127.0.0.1 before the handshake. So a Transmission seeder shares its swarm with no other client,
# and gets a single handshake from Piecemeal (a reconnect within a few hundred ms is refused too).
T=$CHECK_WORK/torrents
mkdir -p "$T"
make_torrent_mktorrent "$(SINGLE_FILE)" "$T/alone.torrent" 256 "$TRACKER_HTTP"
make_torrent_mktorrent "$(SINGLE_FILE)" "$T/others.torrent" 128 "$TRACKER_HTTP"
make_torrent_mktorrent "$(SINGLE_FILE)" "$T/tracker.torrent" 64 "$TRACKER_HTTP"
make_torrent_mktorrent "$(MULTI_ROOT)" "$T/not-seeded.torrent" 32 "$TRACKER_HTTP"
HASH_ALONE=$(infohash_libtorrent "$T/alone.torrent")
HASH_OTHERS=$(infohash_libtorrent "$T/others.torrent")
HASH_TRACKER=$(infohash_libtorrent "$T/tracker.torrent")
start_opentracker "$HASH_ALONE" "$HASH_OTHERS" "$HASH_TRACKER" || exit 1

seed() { # seed KIND NAME TORRENT: start a seeder with its own copy of the data
  copy_data "$(SINGLE_DIR)" "$CHECK_WORK/$2-data"
  "start_${1}_seeder" "$2" "$3" "$CHECK_WORK/$2-data" || exit 1
}
seed transmission transmission-alone "$T/alone.torrent"; TRANSMISSION=127.0.0.1:$SEEDER_PORT
seed libtorrent libtorrent-others "$T/others.torrent"; LIBTORRENT=127.0.0.1:$SEEDER_PORT
seed aria2 aria2-others "$T/others.torrent"; ARIA2=127.0.0.1:$SEEDER_PORT
seed transmission transmission-tracker "$T/tracker.torrent"; TRANSMISSION_T=127.0.0.1:$SEEDER_PORT
wait_for_seeders "$HASH_ALONE" 1 30 || exit 1
wait_for_seeders "$HASH_OTHERS" 2 30 || exit 1
wait_for_seeders "$HASH_TRACKER" 1 30 || exit 1

# sorted_tokens "A, B": the extension list in a canonical order, so order does not matter.
sorted_tokens() { tr ',' '\n' <<<"$1" | sed 's/^ *//; s/ *$//' | grep -v '^$' | LC_ALL=C sort | paste -sd, -; }

# line_for ADDRESS OUTPUT: the first line of OUTPUT that starts with "ADDRESS  ".
line_for() {
  local line
  while IFS= read -r line; do
    if [[ "$line" == "$1  "* ]]; then
      echo "$line"
      return
    fi
  done <<<"$2"
}

# expect_ok OUTPUT LABEL ADDRESS PEER_ID_PREFIX EXTENSIONS: OUTPUT has the line
#   ADDRESS  ok  peer id PREFIX...  client ...  extensions EXTENSIONS
expect_ok() {
  local output=$1 label=$2 address=$3 prefix=$4 extensions=$5
  local line
  line=$(line_for "$address" "$output")
  if [[ "$line" != "$address  ok  "* ]]; then
    fail "$label: expected '$address  ok  ...', got: ${line:-no line for $address}"
    return
  fi
  local peer_id got
  # The printable id keeps a space byte as a space, so read up to "  client ".
  peer_id=$(sed -nE 's/.*  peer id (.*)  client .*/\1/p' <<<"$line")
  if [[ "$peer_id" == "$prefix"* ]]; then
    pass "$label: peer id $peer_id starts with $prefix"
  else
    fail "$label: peer id '$peer_id' does not start with $prefix; line: $line"
  fi
  got=$(sed -nE 's/.*  extensions (.*)$/\1/p' <<<"$line")
  check_equal "$label: extensions" "$(sorted_tokens "$extensions")" "$(sorted_tokens "$got")"
}

# 1. One handshake per client, to the address we give.
handshake_with() { # handshake_with NAME TORRENT ADDRESS: run `piecemeal handshake TORRENT ADDRESS`
  run_piecemeal "handshake-$1" handshake "$2" "$3"
  if ((PM_STATUS != 0)); then
    fail "handshake with $1 at $3: exit $PM_STATUS: $(head -n 1 <<<"$PM_OUT$PM_ERR")"
    return 1
  fi
}
TR_EXTENSIONS="BEP6-fast, BEP10-extension-protocol"
LT_EXTENSIONS="BEP5-DHT, BEP6-fast, BEP10-extension-protocol"
A2_EXTENSIONS="BEP6-fast, BEP10-extension-protocol"
handshake_with transmission "$T/alone.torrent" "$TRANSMISSION" &&
  expect_ok "$PM_OUT" "Transmission 3.00 at $TRANSMISSION" "$TRANSMISSION" -TR "$TR_EXTENSIONS"
handshake_with libtorrent "$T/others.torrent" "$LIBTORRENT" &&
  expect_ok "$PM_OUT" "libtorrent 2.0 at $LIBTORRENT" "$LIBTORRENT" -LT "$LT_EXTENSIONS"
handshake_with aria2 "$T/others.torrent" "$ARIA2" &&
  expect_ok "$PM_OUT" "aria2 1.36 at $ARIA2" "$ARIA2" A2- "$A2_EXTENSIONS"

# 2. No address given: the peers come from the tracker.
handshake_tracker_peers() { # handshake_tracker_peers TORRENT: sets PM_OUT
  run_piecemeal "handshake-tracker-peers-$(basename "$1" .torrent)" handshake "$1"
  if ((PM_STATUS != 0)); then
    fail "handshake with the tracker's peers of $(basename "$1"): exit $PM_STATUS: $(head -n 1 <<<"$PM_OUT$PM_ERR")"
    return 1
  fi
}
handshake_tracker_peers "$T/others.torrent" && {
  expect_ok "$PM_OUT" "tracker's peer libtorrent at $LIBTORRENT" "$LIBTORRENT" -LT "$LT_EXTENSIONS"
  expect_ok "$PM_OUT" "tracker's peer aria2 at $ARIA2" "$ARIA2" A2- "$A2_EXTENSIONS"
}
handshake_tracker_peers "$T/tracker.torrent" &&
  expect_ok "$PM_OUT" "tracker's peer Transmission at $TRANSMISSION_T" "$TRANSMISSION_T" -TR \
    "$TR_EXTENSIONS"

# 3. Failures: a peer that does not have the torrent closes the connection instead of answering;
#    a port where nobody listens refuses it. Each gives "ADDRESS  failed: reason" and exit 1.
expect_failed() { # expect_failed LABEL TORRENT ADDRESS
  run_piecemeal "handshake-fails-${1// /-}" handshake "$2" "$3"
  local line
  line=$(line_for "$3" "$PM_OUT")
  if ((PM_STATUS == 1)) && [[ "$line" == "$3  failed: "* ]]; then
    pass "$1: exit 1, $line"
  else
    fail "$1: expected exit 1 and '$3  failed: ...', got exit $PM_STATUS: ${line:-$(head -n 1 <<<"$PM_ERR")}"
  fi
}
expect_failed "libtorrent without that torrent" "$T/not-seeded.torrent" "$LIBTORRENT"
expect_failed "nobody listening" "$T/others.torrent" "127.0.0.1:$(free_port)"
