#!/usr/bin/env bash
# Chapters 5 and 6 (the peer wire messages of BEP 3, BEP 6 and BEP 10; bitfields): `piecemeal
# peers --trace` talks to a real Transmission seeder and a real libtorrent seeder past the
# handshake. Each must tell us its pieces (bitfield or have all), send its BEP 10 extension
# handshake, unchoke us after we say interested, and send the one block we ask for, intact; the
# trace must show each of those messages decoded, one line each.
#
# The two ways a block is checked are both exercised: Transmission seeds pieces of 256 KiB, so its
# first block of 16 KiB is compared with a copy of the data (--data); libtorrent seeds pieces of
# 16 KiB, so its block is a whole piece and is checked against the piece's SHA-1 from the torrent.
source "$(dirname "$0")/../lib/common.sh"
source "$INTEROP_DIR/lib/torrents.sh"
source "$INTEROP_DIR/lib/tracker.sh"
source "$INTEROP_DIR/lib/seeders.sh"

make_test_data || { fail "could not make the test data"; exit 1; }
pick_tracker_port || exit 1

# One swarm per seeder: Transmission keeps one connection per IP and resets a second 127.0.0.1
# peer, so it shares its swarm with no other client (see 04-handshake.sh).
T=$CHECK_WORK/torrents
mkdir -p "$T"
make_torrent_mktorrent "$(SINGLE_FILE)" "$T/transmission.torrent" 256 "$TRACKER_HTTP"
make_torrent_libtorrent "$(SINGLE_FILE)" "$T/libtorrent.torrent" 16 "$TRACKER_HTTP"
HASH_TR=$(infohash_libtorrent "$T/transmission.torrent")
HASH_LT=$(infohash_libtorrent "$T/libtorrent.torrent")
start_opentracker "$HASH_TR" "$HASH_LT" || exit 1

copy_data "$(SINGLE_DIR)" "$CHECK_WORK/transmission-data"
start_transmission_seeder transmission "$T/transmission.torrent" "$CHECK_WORK/transmission-data" || exit 1
TRANSMISSION=127.0.0.1:$SEEDER_PORT
copy_data "$(SINGLE_DIR)" "$CHECK_WORK/libtorrent-data"
start_libtorrent_seeder libtorrent "$T/libtorrent.torrent" "$CHECK_WORK/libtorrent-data" || exit 1
LIBTORRENT=127.0.0.1:$SEEDER_PORT
wait_for_seeders "$HASH_TR" 1 30 || exit 1
wait_for_seeders "$HASH_LT" 1 30 || exit 1

# expect_line LABEL OUTPUT REGEX: OUTPUT has a line matching the extended REGEX (whole line);
# prints its line number for order checks. A missing line is a FAIL that quotes what was there.
expect_line() {
  local label=$1 output=$2 regex=$3 number
  number=$(grep -nE -m 1 -- "^$regex\$" <<<"$output" | cut -d: -f1)
  if [[ -n "$number" ]]; then
    pass "$label: $(sed -n "${number}p" <<<"$output" | cut -c1-160)"
    echo "$number" >"$CHECK_WORK/last-line-number"
  else
    fail "$label: no line matching '$regex' in the trace"
    echo 0 >"$CHECK_WORK/last-line-number"
  fi
}
line_number() { cat "$CHECK_WORK/last-line-number"; }

# expect_exchange NAME TORRENT ADDRESS PEER_ID_PREFIX PIECES CHECK [ARGS...]: run
# `piecemeal peers TORRENT ADDRESS --trace ARGS...` and check the trace and the peer's line.
expect_exchange() {
  local name=$1 torrent=$2 address=$3 prefix=$4 pieces=$5 check=$6
  shift 6
  # From the check's folder, with relative paths: docs/05-messages.md shows this run's output.
  pushd "$CHECK_WORK" >/dev/null || return 1
  run_piecemeal "peers-$name" peers "$torrent" "$address" --trace "$@"
  popd >/dev/null || return 1
  check_equal "$name: exit status" 0 "$PM_STATUS"
  local a=${address//./\\.} out=$PM_OUT
  expect_line "$name: our handshake" "$out" "$a -> handshake info hash [0-9a-f]{40}  peer id -PM.*  extensions BEP6-fast, BEP10-extension-protocol"
  expect_line "$name: its handshake" "$out" "$a <- handshake info hash [0-9a-f]{40}  peer id $prefix.*"
  expect_line "$name: which pieces it has" "$out" "$a <- (bitfield $pieces/$pieces pieces|have all)"
  expect_line "$name: its extension handshake, decoded" "$out" "$a <- extended id 0 \(handshake\), [0-9]+ bytes \{.*m: \{.*"
  expect_line "$name: our extension handshake" "$out" "$a -> extended id 0 \(handshake\), [0-9]+ bytes \{m: \{\}, reqq: [0-9]+, v: \"Piecemeal [^\"]*\"\}"
  expect_line "$name: interested" "$out" "$a -> interested"
  local interested
  interested=$(line_number)
  expect_line "$name: unchoke" "$out" "$a <- unchoke"
  if (($(line_number) > interested && interested > 0)); then
    pass "$name: the unchoke came after our interested (lines $interested, $(line_number))"
  else
    fail "$name: no unchoke after our interested (lines $interested, $(line_number))"
  fi
  expect_line "$name: our request" "$out" "$a -> request piece 0 begin 0 length 16384"
  expect_line "$name: its block" "$out" "$a <- piece piece 0 begin 0 length 16384"
  expect_line "$name: the verdict" "$out" "$a  peer id $prefix.*  has $pieces/$pieces pieces \(100%\)  unchoked us: yes  ok: block 0:0\+16384 intact \($check\)"
}

PIECES_TR=$(( (4 * 1024 * 1024 + 12345 + 256 * 1024 - 1) / (256 * 1024) ))
PIECES_LT=$(( (4 * 1024 * 1024 + 12345 + 16 * 1024 - 1) / (16 * 1024) ))
expect_exchange transmission torrents/transmission.torrent "$TRANSMISSION" -TR "$PIECES_TR" \
  "equal to the copy in transmission-data" --data transmission-data
expect_exchange libtorrent torrents/libtorrent.torrent "$LIBTORRENT" -LT "$PIECES_LT" \
  "its SHA-1 is piece 0's hash"

# Without an address, the peers come from the tracker: libtorrent is among them.
run_piecemeal peers-tracker peers "$T/libtorrent.torrent"
check_equal "the tracker's peers: exit status" 0 "$PM_STATUS"
expect_line "the tracker's peers: libtorrent's verdict" "$PM_OUT" \
  "${LIBTORRENT//./\\.}  peer id -LT.*  ok: block 0:0\+16384 intact \(its SHA-1 is piece 0's hash\)"
