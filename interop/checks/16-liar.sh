#!/usr/bin/env bash
# Issue 16 (a download survives hostile peers): `piecemeal download` is given two peers of one
# torrent, an honest libtorrent seeder and a liar (lib/liar_peer.py), and still ends with every
# file intact. The liar answers the first block asked of each piece with wrong bytes, chokes for
# 1 s and unchokes, and answers every later block of that piece correctly; so each piece it
# touches fails its hash check once, with blocks from both peers in it, and passes when it is
# fetched again. The smart ban (BanList) must then name the liar by its wrong block and ban it,
# and never ban the honest seeder, whose blocks were right every time.
#
# Expected: exit 0 and "done: ... every piece verified"; every file's SHA-256 equal to the source;
# the liar told at least one lie (its log) and Piecemeal saw a piece fail; a "banned
# 127.0.0.1:LIAR_PORT" line; no "banned" line that names the libtorrent seeder.
#
# No tracker: both peers are given with --peer. The torrent is single.bin (4 MiB + 12,345 bytes)
# in 64 KiB pieces, 4 blocks each, so a failed piece can mix blocks of both peers. libtorrent's
# upload is capped at 512 KiB/s (about 8 s for the whole file), so that Piecemeal asks the liar
# for blocks too instead of getting everything from libtorrent in a fraction of a second.
source "$(dirname "$0")/../lib/common.sh"
source "$INTEROP_DIR/lib/torrents.sh"
source "$INTEROP_DIR/lib/seeders.sh"

make_test_data || { fail "could not make the test data"; exit 1; }
T=$CHECK_WORK/torrents
mkdir -p "$T"
TORRENT=$T/liar-64k.torrent
make_torrent_libtorrent "$(SINGLE_FILE)" "$TORRENT" 64 || { fail "could not make $TORRENT"; exit 1; }

# 1. The honest seeder and the liar, each with its own copy of the data.
copy_data "$(SINGLE_DIR)" "$CHECK_WORK/honest-data"
start_libtorrent_seeder honest "$TORRENT" "$CHECK_WORK/honest-data" $((512 * 1024)) || exit 1
HONEST=127.0.0.1:$SEEDER_PORT
copy_data "$(SINGLE_DIR)" "$CHECK_WORK/liar-data"
LIAR_PORT=$(free_port) || exit 1
LIAR=127.0.0.1:$LIAR_PORT
start_bg liar "$PROCESS_LIMIT" "$LT_PYTHON" "$INTEROP_DIR/lib/liar_peer.py" "$TORRENT" \
  "$CHECK_WORK/liar-data" "$LIAR_PORT" || exit 1
if ! wait_until 10 grep -q ' listening on ' "$CHECK_WORK/logs/liar.log"; then
  fail "the liar is not listening on $LIAR after 10 s"
  exit 1
fi
log "honest libtorrent seeder on $HONEST, liar on $LIAR"

# 2. The download, from both. A ban must come from the data, not from giving up: 30 s without
#    data ends the run, and the whole run is bounded by PIECEMEAL_TIMEOUT.
export PIECEMEAL_TIMEOUT=120
OUT=$CHECK_WORK/download
started=$SECONDS
run_piecemeal download download "$TORRENT" -o "$OUT" --bind 127.0.0.1 --port "$(free_port)" \
  --peer "$HONEST" --peer "$LIAR" --give-up-after 30
log "the download took $((SECONDS - started)) s (exit $PM_STATUS)"

# 3. What the liar did, from its own log: the lies are the premise of every check below.
lies=$(grep -c ' lied: piece ' "$CHECK_WORK/logs/liar.log")
if ((lies > 0)); then
  pass "the liar answered $lies block(s) with wrong bytes, the first asked of each piece: $(grep -m 1 ' lied: ' "$CHECK_WORK/logs/liar.log" | cut -d' ' -f2-)"
else
  fail "the liar told no lie (Piecemeal never asked it for a block?), so this run proves nothing"
fi
failed_pieces=$(grep -c '^piece [0-9]* failed its hash check' <<<"$PM_OUT")
if ((failed_pieces > 0)); then
  pass "Piecemeal saw $failed_pieces piece(s) fail their hash check: $(grep -m 1 '^piece [0-9]* failed its hash check' <<<"$PM_OUT")"
else
  fail "Piecemeal reports no piece that failed its hash check, though the liar lied $lies time(s)"
fi

# 4. The outcome: done, intact, the liar banned and the honest seeder never.
done_line=$(grep -m 1 '^done: ' <<<"$PM_OUT")
if ((PM_STATUS == 0)) && [[ "$done_line" == *"; every piece verified"* ]]; then
  pass "exit 0, $done_line"
else
  fail "expected exit 0 and 'done: ... every piece verified', got exit $PM_STATUS: ${done_line:-$(tail -n 1 <<<"$PM_ERR")}"
fi
same_files "download from an honest seeder and a liar" "$(SINGLE_DIR)" "$OUT"

banned_lines=$(grep '^banned ' <<<"$PM_OUT")
# "banned A, B: sent data ..." names each banned peer before the colon that ends the list.
names_banned() { sed -E 's/^banned (.*): sent data .*/\1/' <<<"$banned_lines" | tr ',' '\n' | tr -d ' '; }
if names_banned | grep -qx "$LIAR"; then
  pass "the liar is banned: $(grep -m 1 "$LIAR" <<<"$banned_lines")"
else
  fail "no 'banned $LIAR' line; the bans were: ${banned_lines:-none}"
fi
if names_banned | grep -qx "$HONEST"; then
  fail "the honest libtorrent seeder $HONEST was banned: $(grep -m 1 "$HONEST" <<<"$banned_lines")"
else
  pass "the honest libtorrent seeder $HONEST is never banned (bans: $(names_banned | paste -sd' ' -))"
fi

stop liar
stop honest
