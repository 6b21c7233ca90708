#!/usr/bin/env bash
# Chapter 2 (trackers): `piecemeal announce` asks a real tracker (opentracker) over HTTP (BEP 3,
# compact peers BEP 23) and over UDP (BEP 15) and lists the peer a real client announced there;
# with no tracker listening it fails the CLI's way.
source "$(dirname "$0")/../lib/common.sh"
source "$INTEROP_DIR/lib/torrents.sh"
source "$INTEROP_DIR/lib/tracker.sh"
source "$INTEROP_DIR/lib/seeders.sh"

make_test_data || { fail "could not make the test data"; exit 1; }
pick_tracker_port || exit 1

# One torrent, two ways in: the same data with only the HTTP tracker, and with only the UDP one.
# The announce URL is outside the info dictionary, so both have the same info-hash: one swarm.
T=$CHECK_WORK/torrents
mkdir -p "$T"
make_torrent_mktorrent "$(SINGLE_FILE)" "$T/single-http.torrent" 256 "$TRACKER_HTTP"
make_torrent_mktorrent "$(SINGLE_FILE)" "$T/single-udp.torrent" 256 "$TRACKER_UDP"
HASH=$(infohash_libtorrent "$T/single-http.torrent")
start_opentracker "$HASH" || exit 1

# The other client in the swarm: a libtorrent seeder, announcing over HTTP.
copy_data "$(SINGLE_DIR)" "$CHECK_WORK/seeder-data"
start_libtorrent_seeder libtorrent-seeder "$T/single-http.torrent" "$CHECK_WORK/seeder-data" || exit 1
wait_for_seeders "$HASH" 1 30 || exit 1
SEEDER=127.0.0.1:$SEEDER_PORT

# expect_peer_listed TORRENT URL: `piecemeal announce TORRENT` exits 0, names the tracker URL on
# its first line, gives an interval, and lists the seeder's address among the peers.
expect_peer_listed() {
  local torrent=$1 url=$2 kind=${2%%:*}
  run_piecemeal "announce-$kind" announce "$torrent" --port "$(free_port)" --numwant 50
  if ((PM_STATUS != 0)); then
    fail "$kind announce: piecemeal announce exited $PM_STATUS: $(head -n 1 <<<"$PM_ERR")"
    return
  fi
  check_equal "$kind announce: first line" "tracker: $url" "$(head -n 1 <<<"$PM_OUT")"
  if grep -qE '^interval: [0-9]+ s$' <<<"$PM_OUT"; then
    pass "$kind announce: $(grep -E '^interval: ' <<<"$PM_OUT")"
  else
    fail "$kind announce: no 'interval: N s' line in the output"
  fi
  if grep -qxF "$SEEDER" <<<"$PM_OUT"; then
    pass "$kind announce: the peer list has the libtorrent seeder $SEEDER"
  else
    fail "$kind announce: the peer list lacks the libtorrent seeder $SEEDER; got: $(tail -n +3 <<<"$PM_OUT" | tr '\n' ' ')"
  fi
}

expect_peer_listed "$T/single-http.torrent" "$TRACKER_HTTP"
expect_peer_listed "$T/single-udp.torrent" "$TRACKER_UDP"

# expect_tracker_failure KIND URL: a torrent whose only tracker is a port nobody listens on.
# Expect exit 1 and a "tracker URL failed: reason" line on stderr, with no stack trace.
expect_tracker_failure() {
  local kind=$1 url=$2
  make_torrent_mktorrent "$(SINGLE_FILE)" "$T/dead-$kind.torrent" 256 "$url"
  local started=$SECONDS
  PIECEMEAL_TIMEOUT=120 run_piecemeal "announce-dead-$kind" announce "$T/dead-$kind.torrent"
  local took=$((SECONDS - started))
  local line
  line=$(grep -F "tracker $url failed: " <<<"$PM_ERR" | head -n 1)
  if ((PM_STATUS == 1)) && [[ -n "$line" ]] && ! grep -qE '^\s+at |Exception' <<<"$PM_ERR"; then
    pass "no $kind tracker listening: exit 1 after $took s, stderr: $line"
  else
    fail "no $kind tracker listening: expected exit 1 and 'tracker $url failed: ...' on stderr, got exit $PM_STATUS after $took s: $(head -n 3 <<<"$PM_ERR" | tr '\n' ' ')"
  fi
}

DEAD_PORT=$(free_port)
expect_tracker_failure http "http://127.0.0.1:$DEAD_PORT/announce"
expect_tracker_failure udp "udp://127.0.0.1:$DEAD_PORT/announce"
