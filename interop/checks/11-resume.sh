#!/usr/bin/env bash
# Chapter 11 (resume data): a download stopped and restarted trusts what it saved instead of
# rechecking, and a download killed with SIGKILL never counts a piece it does not have intact.
#
# One real libtorrent 2.0 seeder (lt_seed.py), found through opentracker (HTTP), its upload capped
# at 2 MiB/s so that each stop lands mid-file; 64 MiB of random data in 256 pieces of 256 KiB
# (libtorrent's creator). Four runs of the same `piecemeal download ... --state-dir STATE`:
#
#   1. stopped by SIGINT (Ctrl-C) once `piecemeal verify` finds 40% on disk: exit 130, "stopped: N
#      of 256 pieces are saved"; the resume data is written at exit
#   2. restarted: "resume data: N of 256 pieces trusted, no recheck" (the same N) and "on disk: N of
#      256"; then SIGKILL to the JVM once verify finds 70%, with pieces written after the record
#   3. restarted: the record no longer matches the file ("resume data ignored: resume.bin was
#      modified since …; rechecking every piece") and the recheck's "on disk: M" is exactly what
#      verify finds; it completes, byte for byte
#   4. restarted once more: "resume data: 256 of 256 pieces trusted, no recheck", "already complete"
#
# Nothing is written beside the data: the output folder holds resume.bin alone.
#
# With RESUME_MEASURE=1 it then measures, for chapter 11, on 1 GiB in 1,024 pieces of 1 MiB from an
# uncapped libtorrent seeder: the CPU seconds (user, sys) and wall time of whole downloads, this jar
# against PIECEMEAL_BASELINE_JAR (a jar built from before the flushes were batched) if given, and
# the time a finished download takes to restart, with its resume data and without. RESUME_RUNS
# (default 3) runs of each, taking turns, the baseline first in each round (RESUME_ORDER=current-first
# for the other order); the table goes to the log and to measure.txt. RESUME_JAVA_OPTS (say
# -Xmx256m) is given to every JVM, so that a heap growing differently from run to run (its page
# faults are system time too) does not hide what the flushes cost; RESUME_STRACE=1 adds one run of
# each jar under `strace -f -c`, counting its fsync and fdatasync calls.
source "$(dirname "$0")/../lib/common.sh"
source "$INTEROP_DIR/lib/torrents.sh"
source "$INTEROP_DIR/lib/tracker.sh"
source "$INTEROP_DIR/lib/seeders.sh"
source "$INTEROP_DIR/lib/piecemeal.sh"

export PIECEMEAL_TIMEOUT=180
pick_tracker_port || exit 1
DATA=$CHECK_WORK/data
T=$CHECK_WORK/torrents
mkdir -p "$DATA" "$T"
head -c $((64 << 20)) /dev/urandom >"$DATA/resume.bin"
make_torrent_libtorrent "$DATA/resume.bin" "$T/resume.torrent" 256 "$TRACKER_HTTP"
HASH=$(infohash_libtorrent "$T/resume.torrent")
BIG_HASH=
if [[ "${RESUME_MEASURE:-0}" == 1 ]]; then
  mkdir -p "$CHECK_WORK/big"
  head -c $((1 << 30)) /dev/urandom >"$CHECK_WORK/big/big.bin"
  make_torrent_libtorrent "$CHECK_WORK/big/big.bin" "$T/big.torrent" 1024 "$TRACKER_HTTP"
  BIG_HASH=$(infohash_libtorrent "$T/big.torrent")
fi
start_opentracker "$HASH" $BIG_HASH || exit 1

STATE=$CHECK_WORK/state
OUT=$CHECK_WORK/out
download_args() { # the command line of every run: the same but for its port
  echo download "$T/resume.torrent" -o "$OUT" --bind 127.0.0.1 --port "$(free_port)" --give-up-after 60 \
    --state-dir "$STATE"
}
# verified_on_disk: "PIECES PIECE_COUNT" from `piecemeal verify` (which reads every piece).
verified_on_disk() {
  piecemeal verify "$T/resume.torrent" -d "$OUT" 2>/dev/null |
    sed -nE 's/^complete:[[:space:]]+([0-9,]+) of ([0-9,]+) pieces.*/\1 \2/p' | tr -d ,
}
at_least_percent() { # at_least_percent P: verify finds at least P% of the pieces
  local have count
  read -r have count < <(verified_on_disk)
  [[ -n "$have" ]] && ((have * 100 >= $1 * count))
}
line_of() { grep -m 1 -E "$1" <<<"$PM_OUT"; }

start_libtorrent_seeder lt-capped "$T/resume.torrent" "$DATA" $((2 << 20)) || exit 1
wait_for_seeders "$HASH" 1 30 || exit 1

# 1. Ctrl-C at 40%
# shellcheck disable=SC2046
start_piecemeal run-1 $(download_args) || exit 1
if ! wait_until 60 at_least_percent 40; then
  fail "run 1: verify does not find 40% of the pieces on disk after 60 s"
  exit 1
fi
interrupt_piecemeal run-1
finish_piecemeal run-1 30
SAVED=$(grep -m 1 '^stopped: ' <<<"$PM_ERR" | sed -nE 's/^stopped: ([0-9]+) of 256 pieces are saved .*/\1/p')
if ((PM_STATUS == 130)) && [[ -n "$SAVED" ]] && ((SAVED > 0 && SAVED < 256)); then
  pass "run 1 (SIGINT at 40%): exit 130, $(grep -m 1 '^stopped: ' <<<"$PM_ERR")"
else
  fail "run 1: expected exit 130 and 'stopped: N of 256 pieces are saved', got exit $PM_STATUS: $(tail -n 2 <<<"$PM_ERR")"
  exit 1
fi
read -r HAVE _ < <(verified_on_disk)
check_equal "run 1: the pieces verify finds after the stop" "$SAVED" "$HAVE"

# 2. restart: trusted, no recheck; then SIGKILL at 70%
# shellcheck disable=SC2046
start_piecemeal run-2 $(download_args) || exit 1
if await_piecemeal_line run-2 '^on disk: ' 30; then
  check_equal "run 2: the resume data is trusted" "resume data: $SAVED of 256 pieces trusted, no recheck" \
    "$(grep -m 1 '^resume data' "$CHECK_WORK/logs/run-2.out")"
  check_equal "run 2: what is on disk" "on disk: $SAVED of 256 pieces verified" \
    "$(grep -m 1 '^on disk: ' "$CHECK_WORK/logs/run-2.out")"
fi
if ! wait_until 60 at_least_percent 70; then
  fail "run 2: verify does not find 70% of the pieces on disk after 60 s"
  exit 1
fi
log "run 2: SIGKILL to the JVM (pid ${JAVA_PIDS[run-2]})"
kill -KILL "${JAVA_PIDS[run-2]}"
finish_piecemeal run-2 30
check_equal "run 2: killed (exit status of timeout)" 137 "$PM_STATUS"
read -r HAVE _ < <(verified_on_disk)
log "after the kill, verify finds $HAVE of 256 pieces on disk"

# 3. restart after the kill: the record no longer matches; the recheck finds what is there
# shellcheck disable=SC2046
run_piecemeal run-3 $(download_args)
RESUME_LINE=$(line_of '^resume data')
if [[ "$RESUME_LINE" == "resume data ignored: resume.bin was modified since the resume data was saved ("*"); rechecking every piece" ]]; then
  pass "run 3: $RESUME_LINE"
  check_equal "run 3: the recheck finds what verify found" "on disk: $HAVE of 256 pieces verified" "$(line_of '^on disk: ')"
elif [[ "$RESUME_LINE" =~ ^resume\ data:\ ([0-9]+)\ of\ 256\ pieces\ trusted ]] && ((BASH_REMATCH[1] <= HAVE)); then
  pass "run 3: a save after run 2's last write is trusted, no more than is on disk: $RESUME_LINE ($HAVE on disk)"
else
  fail "run 3: expected the resume data ignored (the file changed after the save), got: ${RESUME_LINE:-no resume data line}"
fi
if ((PM_STATUS == 0)) && [[ "$(line_of '^done: ')" == *"; every piece verified"* ]]; then
  pass "run 3: exit 0, $(line_of '^done: ')"
else
  fail "run 3: expected exit 0 and 'done: ... every piece verified', got exit $PM_STATUS: $(tail -n 2 <<<"$PM_ERR")"
fi
same_files "run 3 after SIGKILL" "$DATA" "$OUT"

# 4. once more: everything trusted
# shellcheck disable=SC2046
run_piecemeal run-4 $(download_args)
check_equal "run 4: the resume data is trusted" "resume data: 256 of 256 pieces trusted, no recheck" "$(line_of '^resume data')"
check_equal "run 4: nothing to do" "done: $OUT/resume.bin was already complete; every piece verified" "$(line_of '^done: ')"
check_equal "nothing written beside the data" "resume.bin" "$(ls -A "$OUT")"
check_equal "one resume file in the state folder" 1 "$(find "$STATE" -name '*.resume' | wc -l)"
stop lt-capped

[[ "${RESUME_MEASURE:-0}" == 1 ]] || exit 0

# ---------------------------------------------------------------------------------------------
# Measurement (RESUME_MEASURE=1): 1 GiB, 1 MiB pieces, one uncapped libtorrent seeder.
RUNS=${RESUME_RUNS:-3}
MEASURE=$CHECK_WORK/measure.txt
start_libtorrent_seeder lt-big "$T/big.torrent" "$CHECK_WORK/big" || exit 1
wait_for_seeders "$BIG_HASH" 1 60 || exit 1
# timed NAME JAR ARGS...: run the jar under /usr/bin/time; prints "WALL USER SYS MAX_RSS_KIB".
timed() {
  local name=$1 jar=$2
  shift 2
  # shellcheck disable=SC2086
  /usr/bin/time -o "$CHECK_WORK/logs/$name.time" -f '%e %U %S %M' \
    timeout --kill-after=5 300 java ${RESUME_JAVA_OPTS:-} -jar "$jar" "$@" >"$CHECK_WORK/logs/$name.out" 2>"$CHECK_WORK/logs/$name.err"
  local status=$?
  grep -q '^done: ' "$CHECK_WORK/logs/$name.out" || { fail "$name: no done line (exit $status): $(tail -n 2 "$CHECK_WORK/logs/$name.err")"; return 1; }
  tail -n 1 "$CHECK_WORK/logs/$name.time"
}
big_args() { # big_args OUT [STATE]
  echo download "$T/big.torrent" -o "$1" --bind 127.0.0.1 --port "$(free_port)" --give-up-after 60 ${2:+--state-dir "$2"}
}
echo "# run  jar  wall_s user_s sys_s max_rss_kib" >"$MEASURE"
JARS=(current)
[[ -n "${PIECEMEAL_BASELINE_JAR:-}" ]] && JARS=(baseline current)
[[ -n "${PIECEMEAL_BASELINE_JAR:-}" && "${RESUME_ORDER:-}" == current-first ]] && JARS=(current baseline)
for run in $(seq 1 "$RUNS"); do
  for which in "${JARS[@]}"; do
    jar=$PIECEMEAL_JAR state=
    [[ "$which" == baseline ]] && jar=$PIECEMEAL_BASELINE_JAR
    [[ "$which" == current ]] && state=$CHECK_WORK/big-state-$run
    out=$CHECK_WORK/big-out-$which-$run
    mkdir -p "$out"
    # shellcheck disable=SC2046
    result=$(timed "big-$which-$run" "$jar" $(big_args "$out" "$state")) || continue
    echo "download $run $which $result" | tee -a "$MEASURE" >&2
    if [[ "$which" == current ]]; then
      # the same download again, finished: with its resume data, then without (an empty state folder)
      # shellcheck disable=SC2046
      result=$(timed "restart-with-$run" "$jar" $(big_args "$out" "$state")) &&
        echo "restart-with-resume-data $run $which $result" | tee -a "$MEASURE" >&2
      # shellcheck disable=SC2046
      result=$(timed "restart-without-$run" "$jar" $(big_args "$out" "$CHECK_WORK/empty-state-$run")) &&
        echo "restart-without-resume-data $run $which $result" | tee -a "$MEASURE" >&2
    fi
    rm -rf "$out"
  done
done
if [[ "${RESUME_STRACE:-0}" == 1 ]]; then
  for which in "${JARS[@]}"; do
    jar=$PIECEMEAL_JAR state=
    [[ "$which" == baseline ]] && jar=$PIECEMEAL_BASELINE_JAR
    [[ "$which" == current ]] && state=$CHECK_WORK/strace-state
    out=$CHECK_WORK/strace-out-$which
    mkdir -p "$out"
    # shellcheck disable=SC2046,SC2086
    timeout --kill-after=5 300 strace -f -c -e trace=fsync,fdatasync -o "$CHECK_WORK/logs/strace-$which.txt" \
      java ${RESUME_JAVA_OPTS:-} -jar "$jar" $(big_args "$out" "$state") >"$CHECK_WORK/logs/strace-$which.out" 2>&1
    calls=$(awk '$NF == "fsync" || $NF == "fdatasync" { n += $4 } END { print n + 0 }' "$CHECK_WORK/logs/strace-$which.txt")
    echo "strace $which fsync+fdatasync calls: $calls" | tee -a "$MEASURE" >&2
    rm -rf "$out"
  done
fi
stop lt-big
log "measurements in $MEASURE:"
cat "$MEASURE" >&2
pass "measured $RUNS runs of each (see $MEASURE)"
