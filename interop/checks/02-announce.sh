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

# expect_peer_listed TORRENT URL PORT [PEER]: `piecemeal announce TORRENT --port PORT` exits 0,
# names the tracker URL on its first line, gives an interval, and lists the seeder's address (and
# PEER, when given) among the peers.
expect_peer_listed() {
  local torrent=$1 url=$2 port=$3 kind=${2%%:*}
  shift 3
  run_piecemeal "announce-$kind" announce "$torrent" --port "$port" --numwant 50
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
  local peer who
  for peer in "$SEEDER" "$@"; do
    who="piecemeal's own earlier announce"
    [[ "$peer" == "$SEEDER" ]] && who="the libtorrent seeder"
    if grep -qxF "$peer" <<<"$PM_OUT"; then
      pass "$kind announce: the peer list has $who, $peer"
    else
      fail "$kind announce: the peer list lacks $who, $peer; got: $(tail -n +3 <<<"$PM_OUT" | tr '\n' ' ')"
    fi
  done
}

# Piecemeal announces as a leecher (event started, left = the torrent's size) over HTTP; the
# tracker counts it, and the UDP announce that follows (another port, so another peer) lists the
# seeder and Piecemeal's HTTP announce: the port it sent arrived intact.
PORT_HTTP=$(free_port)
PORT_UDP=$(free_port)
expect_peer_listed "$T/single-http.torrent" "$TRACKER_HTTP" "$PORT_HTTP"
check_equal "leechers the tracker counts after piecemeal's HTTP announce" 1 "$(tracker_incomplete "$HASH")"
expect_peer_listed "$T/single-udp.torrent" "$TRACKER_UDP" "$PORT_UDP" "127.0.0.1:$PORT_HTTP"
check_equal "leechers the tracker counts after piecemeal's UDP announce" 2 "$(tracker_incomplete "$HASH")"

# event=stopped takes a peer out of the swarm.
run_piecemeal announce-stopped announce "$T/single-udp.torrent" --port "$PORT_HTTP" --event stopped
if ((PM_STATUS == 0)); then
  check_equal "leechers after 'announce --event stopped' for port $PORT_HTTP" 1 "$(tracker_incomplete "$HASH")"
else
  fail "announce --event stopped exited $PM_STATUS: $(head -n 1 <<<"$PM_ERR")"
fi

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
