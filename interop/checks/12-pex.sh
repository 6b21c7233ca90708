#!/usr/bin/env bash
# Chapter 12 (peer exchange, BEP 11): Piecemeal learns of a peer from another peer's ut_pex.
#
# Two libtorrent 2.0 sessions on 127.0.0.1 (lib/lt_pex.py): S, the only seeder, which speaks no
# PEX; M, connected to S, which speaks ut_pex and has no data (upload mode). The torrent's tracker
# answers nobody and Piecemeal runs with --no-dht: given only `--peer M`, it can hear of S only by
# M's ut_pex, and every byte it gets must come from S. libtorrent sends its first PEX message about
# a second after the extension handshake and then one a minute; the wait is bounded at 150 s.
source "$(dirname "$0")/../lib/common.sh"
source "$INTEROP_DIR/lib/torrents.sh"
source "$INTEROP_DIR/lib/piecemeal.sh"

make_test_data || { fail "could not make the test data"; exit 1; }
T=$CHECK_WORK/torrents
mkdir -p "$T"
DEAD_TRACKER="http://127.0.0.1:$(free_port)/announce"
make_torrent_libtorrent "$(SINGLE_FILE)" "$T/pex.torrent" 32 "$DEAD_TRACKER"
export PIECEMEAL_TIMEOUT=200

S=$(free_port) M=$(free_port)
seed_data=$CHECK_WORK/lt-seed
copy_data "$(SINGLE_DIR)" "$seed_data"
start_bg lt-pex 220 "$LT_PYTHON" "$INTEROP_DIR/lib/lt_pex.py" "$S" "$M" "$T/pex.torrent" "$seed_data" 200
if ! wait_until 40 grep -qx ready "$CHECK_WORK/logs/lt-pex.log"; then
  fail "libtorrent's seeder and PEX peer did not start: $(tail -n 1 "$CHECK_WORK/logs/lt-pex.log")"
  exit 1
fi

pm_out=$CHECK_WORK/pm-out
run_piecemeal pm-download download "$T/pex.torrent" -o "$pm_out" --bind 127.0.0.1 --port "$(free_port)" \
  --no-dht --peer "127.0.0.1:$M" --give-up-after 150
if ((PM_STATUS == 0)); then
  pass "piecemeal download, given only the PEX peer, finished: $(grep '^done: ' <<<"$PM_OUT")"
  same_files "piecemeal download from the peer it heard of by ut_pex" "$(SINGLE_DIR)" "$pm_out"
else
  fail "piecemeal download exited $PM_STATUS: $(tail -n 1 <<<"$PM_ERR")"
fi

# Every byte came from S, the peer named only in M's ut_pex: S's count for Piecemeal is the whole
# file, and M sent nothing.
size=$(stat -c %s "$(SINGLE_FILE)")
sleep 1.5 # the next line of lt_pex.py's once-a-second report
# S's total, with Piecemeal among its peers: the only other one is M, which in upload mode asks for nothing
sent_by_s=$(grep -o 'S sent [0-9]* bytes to .*-PM[0-9]*-.*$' "$CHECK_WORK/logs/lt-pex.log" | tail -n 1 | awk '{print $3}')
sent_by_m=$(grep -o 'M sent [0-9]* bytes' "$CHECK_WORK/logs/lt-pex.log" | tail -n 1 | awk '{print $3}')
if [[ -n "$sent_by_s" ]] && ((sent_by_s >= size)) && [[ "$sent_by_m" == 0 ]]; then
  pass "the seeder heard of only by ut_pex sent piecemeal $sent_by_s bytes of $size; the PEX peer sent $sent_by_m"
else
  fail "the seeder sent piecemeal ${sent_by_s:-nothing} bytes of $size, the PEX peer ${sent_by_m:-?}"
fi
stop lt-pex
