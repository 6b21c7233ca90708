# Shared helpers for the interop checks: results, ports, bounded waits, and the processes a check
# starts. Every check script sources this file first (interop/run does not: each check runs as its
# own bash process, so each check's processes are stopped when that check ends).
#
# What a check may rely on (interop/run exports them; a check run alone computes them here):
#   INTEROP_DIR   the interop/ folder
#   ROOT_DIR      the project root
#   PIECEMEAL_JAR final-client/target/piecemeal.jar
#   RESULTS_FILE  one line per check result: "PASS ..." or "FAIL ..."
#   LT_PYTHON     Debian's python3, the one that can import libtorrent

set -uo pipefail

INTEROP_DIR=${INTEROP_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
ROOT_DIR=${ROOT_DIR:-$(cd "$INTEROP_DIR/.." && pwd)}
PIECEMEAL_JAR=${PIECEMEAL_JAR:-$ROOT_DIR/final-client/target/piecemeal.jar}
LT_PYTHON=${LT_PYTHON:-/usr/bin/python3}
WORK_ROOT=${WORK_ROOT:-$INTEROP_DIR/.work}
RESULTS_FILE=${RESULTS_FILE:-$WORK_ROOT/results.txt}

# The name of the running check ("04-handshake") and its own working folder, wiped at its start
# and kept afterwards so that its logs can be read after a failure.
CHECK_NAME=${CHECK_NAME:-$(basename "${BASH_SOURCE[1]:-check}" .sh)}
CHECK_WORK=$WORK_ROOT/$CHECK_NAME
rm -rf "$CHECK_WORK"
mkdir -p "$CHECK_WORK"
# Piecemeal's default state folder (its resume data, and its DHT routing table, dht.dat) stays in
# the check's folder, not in ~/.local: each check starts from no nodes an earlier run (or the user)
# saved.
export XDG_STATE_HOME=$CHECK_WORK/xdg-state
touch "$RESULTS_FILE"

# ---------------------------------------------------------------------------------------------
# Results

# log: progress for the reader, on stderr so that a "$(...)" never captures it.
log() { printf '[%s] %s\n' "$CHECK_NAME" "$*" >&2; }

# pass WHAT: record a passed check. WHAT says what was compared.
pass() {
  printf 'PASS  %s: %s\n' "$CHECK_NAME" "$*"
  printf 'PASS  %s: %s\n' "$CHECK_NAME" "$*" >>"$RESULTS_FILE"
}

# fail WHAT: record a failed check. When the check ends, the tail of every log it wrote is printed
# (see finish), so that the CI output alone explains the failure.
FAILURES=0
fail() {
  printf 'FAIL  %s: %s\n' "$CHECK_NAME" "$*"
  printf 'FAIL  %s: %s\n' "$CHECK_NAME" "$*" >>"$RESULTS_FILE"
  FAILURES=$((FAILURES + 1))
}

# check_equal WHAT EXPECTED ACTUAL: pass when the two strings are equal; say both either way.
check_equal() {
  if [[ "$2" == "$3" ]]; then
    pass "$1: $3"
  else
    fail "$1: expected '$2', got '$3'"
  fi
}

show_logs() {
  local f
  for f in "$CHECK_WORK"/logs/*.log; do
    [[ -s "$f" ]] || continue
    echo "----- last lines of $f"
    tail -n 25 "$f" | sed 's/^/    /'
  done
  echo "-----"
}

# ---------------------------------------------------------------------------------------------
# Ports

# free_port: print a port that is free for both TCP and UDP on 127.0.0.1 and was not handed out
# before in this check. The kernel picks it (bind to port 0), so reruns and parallel runs do not
# collide; another program could still take it before we use it, which on a test machine is rare.
# The ports handed out are listed in a file, not a variable: `$(free_port)` runs in a subshell.
free_port() {
  local port used=$CHECK_WORK/ports-handed-out
  touch "$used"
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    port=$("$LT_PYTHON" - <<'PY'
import socket
with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
    tcp.bind(("127.0.0.1", 0))
    port = tcp.getsockname()[1]
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        udp.bind(("127.0.0.1", port))
print(port)
PY
) || continue
    if ! grep -qx "$port" "$used"; then
      echo "$port" >>"$used"
      echo "$port"
      return 0
    fi
  done
  echo "free_port: no free port found" >&2
  return 1
}

# ---------------------------------------------------------------------------------------------
# Bounded waiting

# wait_until TIMEOUT_SECONDS COMMAND...: run COMMAND every 0.2 s until it succeeds (return 0) or
# the deadline passes (return 1). Never an unbounded sleep.
wait_until() {
  local timeout=$1
  shift
  local deadline=$((SECONDS + timeout))
  while ((SECONDS < deadline)); do
    if "$@" >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.2
  done
  "$@" >/dev/null 2>&1
}

# ---------------------------------------------------------------------------------------------
# Processes

# No started process outlives this many seconds, the time limit interop/run gives a whole check:
# if a check is killed before its EXIT trap can stop them, they still end on their own.
PROCESS_LIMIT=${CHECK_LIMIT_SECONDS:-600}

# start_bg NAME MAX_SECONDS COMMAND...: start COMMAND in the background under `timeout`, its output
# in $CHECK_WORK/logs/NAME.log, and remember its PID under NAME. Sets STARTED_PID.
declare -A PIDS=()
STARTED_PID=
start_bg() {
  local name=$1 max=$2
  shift 2
  mkdir -p "$CHECK_WORK/logs"
  timeout --kill-after=5 "$max" "$@" >"$CHECK_WORK/logs/$name.log" 2>&1 &
  STARTED_PID=$!
  PIDS[$name]=$STARTED_PID
  log "started $name (pid $STARTED_PID): $*"
}

# is_running NAME: true while the process started under NAME has not exited.
is_running() { kill -0 "${PIDS[$1]}" 2>/dev/null; }

# stop NAME: stop one started process by its PID (TERM, which `timeout` passes on to its child;
# KILL if it is still there after 5 s).
stop() {
  local name=$1 pid=${PIDS[$1]:-}
  [[ -n "$pid" ]] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null
    local deadline=$((SECONDS + 5))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
  fi
  wait "$pid" 2>/dev/null
  unset "PIDS[$name]"
}

# stop_all: stop every process this check started. Runs from the EXIT trap, on success and failure.
stop_all() {
  local name
  for name in "${!PIDS[@]}"; do
    stop "$name"
  done
}

# finish: the EXIT trap of every check, on success and on failure alike.
finish() {
  stop_all
  if ((FAILURES > 0)); then
    echo "[$CHECK_NAME] $FAILURES failure(s); the logs of this check:"
    show_logs
  fi
}
trap finish EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

# ---------------------------------------------------------------------------------------------
# Piecemeal

# piecemeal ARGS...: run the jar under a timeout. A missing jar is a failure of the check that
# needs it, never a silent pass.
piecemeal() {
  if [[ ! -f "$PIECEMEAL_JAR" ]]; then
    echo "error: $PIECEMEAL_JAR is missing (build it with mvn -DskipTests package)" >&2
    return 127
  fi
  timeout --kill-after=5 "${PIECEMEAL_TIMEOUT:-60}" java -jar "$PIECEMEAL_JAR" "$@"
}

# run_piecemeal NAME ARGS...: run piecemeal, keeping its stdout, stderr and exit code in
# $CHECK_WORK/logs/NAME.{out,err} and PM_OUT, PM_ERR, PM_STATUS; also copy both into NAME.log so a
# failing check shows them.
run_piecemeal() {
  local name=$1
  shift
  mkdir -p "$CHECK_WORK/logs"
  local out=$CHECK_WORK/logs/$name.out err=$CHECK_WORK/logs/$name.err
  log "piecemeal $*"
  piecemeal "$@" >"$out" 2>"$err"
  PM_STATUS=$?
  PM_OUT=$(cat "$out")
  PM_ERR=$(cat "$err")
  {
    echo "\$ piecemeal $*   (exit $PM_STATUS)"
    echo "--- stdout"; cat "$out"
    echo "--- stderr"; cat "$err"
  } >"$CHECK_WORK/logs/$name.log"
}
