#!/usr/bin/env bash
# Chapter 8 (the final client): `piecemeal download` fetches every byte of a torrent from a swarm
# of real clients, found through a real tracker (opentracker, HTTP), and every file it writes has
# the SHA-256 of the original, the zero-length file included. An interrupted download, by SIGKILL
# and by SIGINT (Ctrl-C), is resumed by a second run that fetches only what was missing.
#
# The matrix (each row its own torrent, so its own swarm, fresh seeders, its own port for us):
#
#   seeders                         torrent                                          made by
#   Transmission 3.00 alone         multi-file: nested folders, empty.dat; 32 KiB    mktorrent
#   Transmission 3.00 alone         single file, 128 KiB pieces                      transmission-create
#   libtorrent 2.0 alone            single file, 16 KiB pieces                       libtorrent
#   libtorrent 2.0 alone            multi-file, 128 KiB pieces                       mktorrent
#   aria2 1.36 alone                multi-file, 16 KiB pieces                        libtorrent
#   aria2 1.36 alone                single file, 256 KiB pieces                      mktorrent
#   all three together              single file, 32 KiB pieces                       mktorrent
#   libtorrent, upload capped       single file, 64 KiB: SIGKILL, then resume       mktorrent
#   aria2, upload capped            multi-file, 64 KiB: SIGINT (exit 130), resume    libtorrent
#
# The data: single.bin is 4 MiB + 12,345 bytes; piecemeal-multi/ is 1.3 MiB in five files of
# sizes off every piece boundary, in nested folders, one of them (empty.dat) zero bytes long.
#
# mktorrent and libtorrent's creator give the same info-hash for the same files and piece size, so
# the rows differ in piece size where they share a data set: no two rows share a swarm.
#
# Transmission: it seeds a torrent with a zero-length file when the file is already in its data
# folder (it does not create one, but it need not: the file has no bytes to verify or serve). It
# keeps one connection per IP, and marks 127.0.0.1 as a seed once a seeder on 127.0.0.1 has
# connected to it, after which it drops every 127.0.0.1 peer as "a seed like us", Piecemeal too.
# So in the "all three" row Piecemeal connects to Transmission first, and the other two seeders
# start afterwards: they learn Piecemeal from the tracker and dial it, while Transmission refuses
# them (Piecemeal holds the one connection from 127.0.0.1). Their uploads are capped, so that all
# three still have pieces to send when Transmission unchokes us at its 10-second rechoke.
source "$(dirname "$0")/../lib/common.sh"
source "$INTEROP_DIR/lib/torrents.sh"
source "$INTEROP_DIR/lib/tracker.sh"
source "$INTEROP_DIR/lib/seeders.sh"

make_test_data || { fail "could not make the test data"; exit 1; }
pick_tracker_port || exit 1

T=$CHECK_WORK/torrents
mkdir -p "$T"
make_torrent_mktorrent "$(MULTI_ROOT)" "$T/multi-mktorrent-32k.torrent" 32 "$TRACKER_HTTP"
make_torrent_libtorrent "$(SINGLE_FILE)" "$T/single-libtorrent-16k.torrent" 16 "$TRACKER_HTTP"
make_torrent_libtorrent "$(MULTI_ROOT)" "$T/multi-libtorrent-16k.torrent" 16 "$TRACKER_HTTP"
make_torrent_mktorrent "$(SINGLE_FILE)" "$T/single-mktorrent-32k.torrent" 32 "$TRACKER_HTTP"
make_torrent_mktorrent "$(SINGLE_FILE)" "$T/single-mktorrent-64k.torrent" 64 "$TRACKER_HTTP"
make_torrent_libtorrent "$(MULTI_ROOT)" "$T/multi-libtorrent-64k.torrent" 64 "$TRACKER_HTTP"
make_torrent_transmission "$(SINGLE_FILE)" "$T/single-transmission-create-128k.torrent" 128 "$TRACKER_HTTP"
make_torrent_mktorrent "$(MULTI_ROOT)" "$T/multi-mktorrent-128k.torrent" 128 "$TRACKER_HTTP"
make_torrent_mktorrent "$(SINGLE_FILE)" "$T/single-mktorrent-256k.torrent" 256 "$TRACKER_HTTP"
declare -A HASH=()
for t in "$T"/*.torrent; do HASH[$(basename "$t" .torrent)]=$(infohash_libtorrent "$t"); done
if (($(printf '%s\n' "${HASH[@]}" | sort -u | wc -l) != ${#HASH[@]})); then
  fail "two torrents of the matrix have the same info-hash, so their swarms would mix: ${HASH[*]}"
  exit 1
fi
start_opentracker "${HASH[@]}" || exit 1

# Every download: on 127.0.0.1 only, its own port, give up after 60 s without data (Transmission's
# first block comes after 10 to 15 s), and the whole run bounded by PIECEMEAL_TIMEOUT.
GIVE_UP=60
export PIECEMEAL_TIMEOUT=150
download_args() { # download_args TORRENT OUT_DIR: the command line of one download
  echo download "$1" -o "$2" --bind 127.0.0.1 --port "$(free_port)" --give-up-after "$GIVE_UP"
}

# same_data LABEL EXPECTED_DIR ACTUAL_DIR: same_files (every SHA-256 equal, nothing missing or
# extra), and each zero-length file of the source exists in the download with size 0.
same_data() {
  same_files "$@"
  local label=$1 empty
  while IFS= read -r empty; do
    [[ -n "$empty" ]] || continue
    if [[ -f "$3/$empty" && ! -s "$3/$empty" ]]; then
      pass "$label: zero-length file $empty exists with size 0"
    else
      fail "$label: zero-length file $empty is missing or not empty: $(ls -l "$3/$empty" 2>&1)"
    fi
  done < <(cd "$2" && find . -type f -empty | LC_ALL=C sort)
}

# expect_done LABEL PEERS: the download just run (PM_*) exited 0, heard the tracker and printed
# "done: ... from PEERS peer(s); every piece verified". PEERS may be a regex.
expect_done() {
  local label=$1 peers=$2 done_line
  done_line=$(grep -m 1 '^done: ' <<<"$PM_OUT")
  if ((PM_STATUS == 0)) && [[ "$done_line" == *"; every piece verified"* ]]; then
    pass "$label: exit 0, $done_line"
  else
    fail "$label: expected exit 0 and 'done: ... every piece verified', got exit $PM_STATUS: ${done_line:-$(tail -n 1 <<<"$PM_ERR")}"
    return 1
  fi
  local tracker_line
  tracker_line=$(grep -m 1 -E "^tracker $TRACKER_HTTP: [0-9]+ peers? \(started\)" <<<"$PM_OUT")
  if [[ -n "$tracker_line" ]]; then
    pass "$label: the peers came from opentracker: $tracker_line"
  else
    fail "$label: no 'tracker $TRACKER_HTTP: N peers (started)' line in the output"
  fi
  # Not a check, a note for the reader: the status line goes on (every 5 s) until run() returns,
  # so two or more of them after the tracker's "stopped" mean a slow exit after the work was done.
  local late
  late=$(sed -n '/^tracker .*: stopped$/,/^done: /p' <<<"$PM_OUT" | grep -c '%  .* of ')
  if ((late >= 2)); then
    log "note: $label: $late status lines between the tracker's 'stopped' and 'done:' (5 s apart): the run ended at least $(((late - 1) * 5)) s after its last announce"
  fi
  if [[ "$done_line" =~ from\ ($peers)\ peers?\; ]]; then
    pass "$label: blocks came from ${BASH_REMATCH[1]} peer(s), as expected ($peers)"
  else
    fail "$label: expected blocks from $peers peer(s): $done_line"
  fi
}

# seed KIND NAME TORRENT SRC_DIR [BYTES_PER_SECOND]: start a seeder of KIND (transmission,
# libtorrent, aria2) with its own copy of SRC_DIR.
seed() {
  copy_data "$4" "$CHECK_WORK/$2-data"
  "start_${1}_seeder" "$2" "$3" "$CHECK_WORK/$2-data" "${@:5}"
}

# 1. Each seeder alone: start it, wait until the tracker lists it, download, compare.
download_from_one() { # download_from_one KIND TORRENT_NAME SRC_DIR
  local kind=$1 name=$2 src=$3
  local torrent=$T/$name.torrent label="$kind alone, $name"
  seed "$kind" "$kind-$name" "$torrent" "$src" || return
  wait_for_seeders "${HASH[$name]}" 1 30 || { stop "$kind-$name"; return; }
  local out=$CHECK_WORK/download-$kind-$name
  # shellcheck disable=SC2046
  run_piecemeal "download-$kind-$name" $(download_args "$torrent" "$out")
  expect_done "$label" 1 && same_data "$label" "$src" "$out"
  stop "$kind-$name"
}
download_from_one transmission multi-mktorrent-32k "$(MULTI_DIR)"
download_from_one transmission single-transmission-create-128k "$(SINGLE_DIR)"
download_from_one libtorrent single-libtorrent-16k "$(SINGLE_DIR)"
download_from_one libtorrent multi-mktorrent-128k "$(MULTI_DIR)"
download_from_one aria2 multi-libtorrent-16k "$(MULTI_DIR)"
download_from_one aria2 single-mktorrent-256k "$(SINGLE_DIR)"

# start_piecemeal NAME ARGS...: run piecemeal in the background, under `timeout`, its stdout and
# stderr in logs/NAME.out and .err, remembered under NAME like every started process (so the EXIT
# trap stops it). Sets PM_JAVA_PID: the JVM itself, the child of `timeout`, which is where a
# signal must go (SIGKILL to `timeout` would leave the JVM running).
start_piecemeal() {
  local name=$1
  shift
  mkdir -p "$CHECK_WORK/logs"
  log "piecemeal $*   (in the background, as $name)"
  echo "\$ piecemeal $*" >"$CHECK_WORK/logs/$name.log"
  timeout --kill-after=5 "$PIECEMEAL_TIMEOUT" java -jar "$PIECEMEAL_JAR" "$@" \
    >"$CHECK_WORK/logs/$name.out" 2>"$CHECK_WORK/logs/$name.err" &
  PIDS[$name]=$!
  PM_JAVA_PID=
  local deadline=$((SECONDS + 5))
  while ((SECONDS < deadline)); do
    PM_JAVA_PID=$(ps -o pid= --ppid "${PIDS[$name]}" | tr -d ' ')
    [[ -n "$PM_JAVA_PID" ]] && return 0
    sleep 0.1
  done
  fail "$name: no java process under timeout (pid ${PIDS[$name]}) after 5 s"
  return 1
}
not_running() { ! kill -0 "$1" 2>/dev/null; }

# finish_piecemeal NAME MAX_SECONDS: wait (bounded) for a background piecemeal to exit. Sets
# PM_STATUS, PM_OUT and PM_ERR as run_piecemeal does, and writes both outputs into NAME.log.
finish_piecemeal() {
  local name=$1 max=$2 pid=${PIDS[$1]}
  if ! wait_until "$max" not_running "$pid"; then
    fail "$name: still running after $max s; stopping it"
    kill -TERM "$pid" 2>/dev/null
    wait_until 10 not_running "$pid" || kill -KILL "$PM_JAVA_PID" "$pid" 2>/dev/null
  fi
  wait "$pid" 2>/dev/null
  PM_STATUS=$?
  unset "PIDS[$name]"
  PM_OUT=$(cat "$CHECK_WORK/logs/$name.out")
  PM_ERR=$(cat "$CHECK_WORK/logs/$name.err")
  {
    echo "   (exit $PM_STATUS)"
    echo "--- stdout"; cat "$CHECK_WORK/logs/$name.out"
    echo "--- stderr"; cat "$CHECK_WORK/logs/$name.err"
  } >>"$CHECK_WORK/logs/$name.log"
}

# note_slow_exit NAME: for the reader, not a check. Once a background piecemeal has said its
# last announce ("tracker URL: stopped"), it should return within moments; if it is still running
# 5 s later, keep its threads (jstack) in logs/NAME-jstack.txt and say so.
note_slow_exit() {
  local name=$1 pid=${PIDS[$1]}
  wait_until 120 eval "grep -q ': stopped\$' '$CHECK_WORK/logs/$name.out' || ! kill -0 $pid" || return 0
  if ! wait_until 5 not_running "$pid" && command -v jstack >/dev/null; then
    jstack "$PM_JAVA_PID" >"$CHECK_WORK/logs/$name-jstack.txt" 2>&1
    log "note: $name still runs 5 s after its 'stopped' announce; its threads: $CHECK_WORK/logs/$name-jstack.txt"
  fi
}

# transmission_has_peer NAME: Transmission says it is connected to at least one peer.
transmission_has_peer() {
  transmission-remote "${TR_RPC[$1]}" -t all -i | grep -qE 'Peers: connected to [1-9]'
}

# 2. All three together, in one swarm. Transmission first, and Piecemeal connected to it, before
#    libtorrent and aria2 start (see the top of this file). Every upload is capped, so that each
#    seeder still has pieces to give when it starts sending: Transmission at 256 kB/s (it may
#    unchoke us at once, before the others are up, or 13 s later), libtorrent and aria2 at
#    128 KiB/s each (together 4 MiB would take them 16 s).
download_from_all_three() {
  local name=single-mktorrent-32k
  local torrent=$T/$name.torrent label="Transmission, libtorrent and aria2 together, $name"
  seed transmission transmission-all "$torrent" "$(SINGLE_DIR)" 256000 || return
  wait_for_seeders "${HASH[$name]}" 1 30 || return
  local out=$CHECK_WORK/download-all-three
  # shellcheck disable=SC2046
  start_piecemeal download-all-three $(download_args "$torrent" "$out") || return
  if wait_until 20 transmission_has_peer transmission-all; then
    log "$label: Piecemeal is connected to Transmission"
  else
    fail "$label: Transmission has no peer 20 s after Piecemeal started"
  fi
  seed libtorrent libtorrent-all "$torrent" "$(SINGLE_DIR)" $((128 * 1024))
  seed aria2 aria2-all "$torrent" "$(SINGLE_DIR)" $((128 * 1024))
  note_slow_exit download-all-three
  finish_piecemeal download-all-three 120
  expect_done "$label" 3 && same_data "$label" "$(SINGLE_DIR)" "$out"
  stop aria2-all
  stop libtorrent-all
  stop transmission-all
}
download_from_all_three

# 3. Interrupted, then resumed. A seeder capped at BYTES_PER_SECOND serves the torrent; once
#    `piecemeal verify` finds some pieces but not all on disk, the download is stopped by SIGNAL
#    (KILL: no chance to clean up; INT: Ctrl-C, exit 130 and a "stopped:" line). A second run must
#    find what the first saved (its "on disk:" line equals what verify counted after the stop),
#    fetch exactly the rest (its "done:" line's size equals the bytes verify counted as missing,
#    in the same units), and finish with every file intact.
#
# verified_on_disk TORRENT DIR: "PIECES BYTES_PRESENT PIECE_COUNT" from `piecemeal verify`.
verified_on_disk() {
  piecemeal verify "$1" -d "$2" 2>/dev/null |
    sed -nE 's/^complete:[[:space:]]+([0-9,]+) of ([0-9,]+) pieces, ([0-9,]+) of .*/\1 \3 \2/p' | tr -d ,
}
# some_pieces_saved TORRENT DIR: true once at least 2 pieces, and not all, are verified on disk.
some_pieces_saved() {
  local have bytes count
  read -r have bytes count < <(verified_on_disk "$1" "$2")
  [[ -n "$have" ]] && ((have >= 2 || have == count))
}
# human_size BYTES: the size as Piecemeal prints it (StatusLine.size): 512 B, 24.6 KiB, 3.9 MiB.
# Java's %.1f rounds half up (1.25 MiB is "1.3 MiB"), unlike C's printf, hence Python's Decimal.
human_size() {
  "$LT_PYTHON" - "$1" <<'PY'
import sys
from decimal import Decimal, ROUND_HALF_UP
value, unit = int(sys.argv[1]), None
if value < 1024:
    print("%d B" % value)
else:
    for unit in ("KiB", "MiB", "GiB", "TiB"):
        value /= 1024
        if value < 1024:
            break
    print("%s %s" % (Decimal(repr(value)).quantize(Decimal("0.1"), ROUND_HALF_UP), unit))
PY
}

interrupted_then_resumed() { # KIND TORRENT_NAME SRC_DIR BYTES_PER_SECOND SIGNAL
  local kind=$1 name=$2 src=$3 limit=$4 signal=$5
  local torrent=$T/$name.torrent label="$kind capped at $(human_size "$4")/s, $name, SIG$5"
  seed "$kind" "$kind-capped-$name" "$torrent" "$src" "$limit" || return
  wait_for_seeders "${HASH[$name]}" 1 30 || return
  local out=$CHECK_WORK/download-interrupted-$name
  # shellcheck disable=SC2046
  start_piecemeal "first-run-$name" $(download_args "$torrent" "$out") || return
  if ! wait_until 60 some_pieces_saved "$torrent" "$out"; then
    fail "$label: after 60 s, piecemeal verify does not find 2 pieces on disk"
    finish_piecemeal "first-run-$name" 1
    return
  fi
  local have_before
  read -r have_before _ _ < <(verified_on_disk "$torrent" "$out")
  log "$label: verify finds $have_before pieces on disk; sending SIG$signal to the JVM (pid $PM_JAVA_PID)"
  kill -"$signal" "$PM_JAVA_PID"
  finish_piecemeal "first-run-$name" 30
  local have bytes count total
  read -r have bytes count < <(verified_on_disk "$torrent" "$out")
  total=$(piecemeal verify "$torrent" -d "$out" 2>/dev/null | sed -nE 's/^complete:.* of ([0-9,]+) bytes.*/\1/p' | tr -d ,)
  if [[ "$signal" == KILL ]]; then
    # `timeout` reports a child killed by signal 9 as 128 + 9.
    check_equal "$label: first run killed (exit status of timeout)" 137 "$PM_STATUS"
  else
    local stopped
    stopped=$(grep -m 1 '^stopped: ' <<<"$PM_ERR")
    if ((PM_STATUS == 130)) && [[ "$stopped" == "stopped: $have of $count pieces are saved in "* ]]; then
      pass "$label: first run exit 130, $stopped"
    else
      fail "$label: expected exit 130 and 'stopped: $have of $count pieces are saved in ...' on stderr, got exit $PM_STATUS: ${stopped:-$(tail -n 2 <<<"$PM_ERR")}"
    fi
  fi
  if ((have >= have_before && have > 0 && have < count)); then
    pass "$label: after the stop, verify finds $have of $count pieces on disk ($bytes of $total bytes)"
  else
    fail "$label: after the stop, verify finds $have of $count pieces (before the signal: $have_before); expected some but not all"
    return
  fi

  # shellcheck disable=SC2046
  run_piecemeal "second-run-$name" $(download_args "$torrent" "$out")
  local on_disk
  on_disk=$(grep -m 1 '^on disk: ' <<<"$PM_OUT")
  check_equal "$label: second run's recheck" "on disk: $have of $count pieces verified" "$on_disk"
  expect_done "$label, resumed" 1 || return
  local missing=$((total - bytes)) done_line
  done_line=$(grep -m 1 '^done: ' <<<"$PM_OUT")
  local expected_tail="$(human_size "$missing") in "
  local plural=" ($have pieces were already on disk)"
  ((have == 1)) && plural=" (1 piece was already on disk)"
  if [[ "$done_line" == "done: "*", $expected_tail"* && "$done_line" == *"$plural" ]] && ((missing < total)); then
    pass "$label: the second run fetched only the missing $missing bytes ($(human_size "$missing") of $(human_size "$total")) and says$plural"
  else
    fail "$label: expected the second run to fetch $(human_size "$missing") (the $missing missing bytes) and say '$plural', got: $done_line"
  fi
  same_data "$label, resumed" "$src" "$out"
  stop "$kind-capped-$name"
}
interrupted_then_resumed libtorrent single-mktorrent-64k "$(SINGLE_DIR)" $((384 * 1024)) KILL
interrupted_then_resumed aria2 multi-libtorrent-64k "$(MULTI_DIR)" $((128 * 1024)) INT
