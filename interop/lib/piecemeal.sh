# Piecemeal run in the background, for checks that talk to it while it runs: a seeder that real
# clients download from, a download that goes on seeding. (08-download.sh has its own copies of
# start_piecemeal and finish_piecemeal, with the same contract.)

# start_piecemeal NAME ARGS...: run piecemeal in the background, under `timeout`
# (PIECEMEAL_TIMEOUT seconds), its stdout and stderr in logs/NAME.out and .err, remembered under
# NAME like every started process (so the EXIT trap stops it). Sets PM_JAVA_PID: the JVM itself,
# the child of `timeout`, which is where Ctrl-C's SIGINT must go (`timeout` would pass on a TERM,
# not an INT, and a signal to `timeout` alone could leave the JVM running).
start_piecemeal() {
  local name=$1
  shift
  if [[ ! -f "$PIECEMEAL_JAR" ]]; then
    fail "$name: $PIECEMEAL_JAR is missing (build it with mvn -DskipTests package)"
    return 1
  fi
  mkdir -p "$CHECK_WORK/logs"
  log "piecemeal $*   (in the background, as $name)"
  echo "\$ piecemeal $*" >"$CHECK_WORK/logs/$name.log"
  timeout --kill-after=5 "${PIECEMEAL_TIMEOUT:-300}" java -jar "$PIECEMEAL_JAR" "$@" \
    >"$CHECK_WORK/logs/$name.out" 2>"$CHECK_WORK/logs/$name.err" &
  PIDS[$name]=$!
  PM_JAVA_PID=
  local deadline=$((SECONDS + 5))
  while ((SECONDS < deadline)); do
    PM_JAVA_PID=$(ps -o pid= --ppid "${PIDS[$name]}" | tr -d ' ')
    [[ -n "$PM_JAVA_PID" ]] && { JAVA_PIDS[$name]=$PM_JAVA_PID; return 0; }
    sleep 0.1
  done
  fail "$name: no java process under timeout (pid ${PIDS[$name]}) after 5 s"
  return 1
}
declare -A JAVA_PIDS=()
not_running() { ! kill -0 "$1" 2>/dev/null; }

# piecemeal_says NAME REGEX: true when the background piecemeal NAME printed a line matching REGEX.
piecemeal_says() { grep -qE "$2" "$CHECK_WORK/logs/$1.out"; }

# await_piecemeal_line NAME REGEX SECONDS: wait (bounded) until piecemeal NAME prints a matching
# line; fail and return 1 if it does not, or if it exits first.
await_piecemeal_line() {
  local name=$1 regex=$2 max=$3
  if wait_until "$max" eval "piecemeal_says '$name' '$regex' || not_running ${PIDS[$name]}" \
    && piecemeal_says "$name" "$regex"; then
    return 0
  fi
  fail "$name: no line matching '$regex' after $max s (or it exited): $(tail -n 1 "$CHECK_WORK/logs/$name.err")"
  return 1
}

# interrupt_piecemeal NAME: Ctrl-C, as a person at the terminal sends it: SIGINT to the JVM.
interrupt_piecemeal() {
  log "$1: SIGINT to the JVM (pid ${JAVA_PIDS[$1]})"
  kill -INT "${JAVA_PIDS[$1]}" 2>/dev/null
}

# finish_piecemeal NAME MAX_SECONDS: wait (bounded) for a background piecemeal to exit. Sets
# PM_STATUS, PM_OUT and PM_ERR as run_piecemeal does, and writes both outputs into NAME.log.
finish_piecemeal() {
  local name=$1 max=$2 pid=${PIDS[$1]}
  if ! wait_until "$max" not_running "$pid"; then
    fail "$name: still running after $max s; stopping it"
    kill -TERM "$pid" 2>/dev/null
    wait_until 10 not_running "$pid" || kill -KILL "${JAVA_PIDS[$name]}" "$pid" 2>/dev/null
  fi
  wait "$pid" 2>/dev/null
  PM_STATUS=$?
  unset "PIDS[$name]" "JAVA_PIDS[$name]"
  PM_OUT=$(cat "$CHECK_WORK/logs/$name.out")
  PM_ERR=$(cat "$CHECK_WORK/logs/$name.err")
  {
    echo "   (exit $PM_STATUS)"
    echo "--- stdout"; cat "$CHECK_WORK/logs/$name.out"
    echo "--- stderr"; cat "$CHECK_WORK/logs/$name.err"
  } >>"$CHECK_WORK/logs/$name.log"
}

# ratio_at_least RATIO MIN: true when the decimal RATIO ("1.00") is at least MIN.
ratio_at_least() { awk -v r="$1" -v m="$2" 'BEGIN { exit !(r + 0 >= m + 0) }'; }

# When a check ends early, the outputs of the background runs not finished yet go into their
# NAME.log too, before the EXIT trap (finish, in common.sh) stops them and prints the logs.
append_background_outputs() {
  local name
  for name in "${!JAVA_PIDS[@]}"; do
    {
      echo "   (still running when the check ended)"
      echo "--- stdout"; cat "$CHECK_WORK/logs/$name.out"
      echo "--- stderr"; cat "$CHECK_WORK/logs/$name.err"
    } >>"$CHECK_WORK/logs/$name.log" 2>/dev/null
  done
}
trap 'append_background_outputs; finish' EXIT
