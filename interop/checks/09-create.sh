#!/usr/bin/env bash
# Chapter 9 (making a torrent): `piecemeal create` writes torrents that real software accepts as
# the description of the data. For a single file and for a tree with nested folders, zero-length
# files, a hidden file and a non-ASCII name:
#   (a) libtorrent hash-checks the original data against Piecemeal's torrent and seeds it: every
#       piece present (and, as a control, a copy with one flipped byte is not complete);
#   (b) transmission-show prints the same info-hash as `piecemeal info` and the `created` line;
#   (c) mktorrent or libtorrent's own creator, given the same files and piece length, makes the
#       same info dictionary (the same info-hash): same file order, same fields, nothing more.
# Then the same tree made in the opposite order on disk gives the same info-hash, and the C locale
# and a symlink inside the tree are refused in one error line.
#
# Nothing here uses the network: no tracker runs (the URLs only need to be well formed), and
# libtorrent's session (lt_seed.session) listens on 127.0.0.1 with DHT, LSD, UPnP and NAT-PMP off.
# Every command runs in the foreground under `timeout`.
source "$(dirname "$0")/../lib/common.sh"
source "$INTEROP_DIR/lib/torrents.sh"

# Java reads file names in the locale's encoding: the non-ASCII name needs a UTF-8 locale.
export LC_ALL=C.UTF-8

make_test_data || { fail "could not make the test data"; exit 1; }

HTTP=http://127.0.0.1:6969/announce
UDP=udp://127.0.0.1:6969/announce
T=$CHECK_WORK/torrents
mkdir -p "$T"

# 1. The data: the shared single.bin, and a tree of our own: the shared multi-file tree plus a
#    non-ASCII name, a second zero-length file deeper down, and a hidden file.
TREE_DIR=$CHECK_WORK/data
TREE=$TREE_DIR/piecemeal-tree
copy_data "$(MULTI_ROOT)" "$TREE"
"$LT_PYTHON" - "$TREE" <<'PY' || { fail "could not add files to the tree"; exit 1; }
import hashlib, os, sys
root = sys.argv[1]
for name, size in {"musique/café-crème ünï.txt": 4321, "docs/deep/nested/zero-length.dat": 0,
                   ".hidden": 123}.items():
    path = os.path.join(root, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = b"".join(hashlib.sha256(("%s:%d" % (name, i)).encode()).digest() for i in range(size // 32 + 1))
    with open(path, "wb") as out:
        out.write(data[:size])
PY

# libtorrent_check TORRENT DATA_DIR: libtorrent adds the torrent over DATA_DIR in upload mode (it
# checks, never writes) and prints "STATE HAVE TOTAL INFOHASH", e.g. "seeding 257 257 1f3c…".
libtorrent_check() {
  timeout --kill-after=5 90 "$LT_PYTHON" - "$INTEROP_DIR/lib" "$1" "$2" <<'PY'
import sys, time
sys.path.insert(0, sys.argv[1])
import lt_seed
import libtorrent as lt
ses = lt_seed.session(0)                    # 127.0.0.1 only; no DHT, LSD, UPnP, NAT-PMP
params = lt.add_torrent_params()
params.ti = lt.torrent_info(sys.argv[2])
params.save_path = sys.argv[3]
params.trackers = []
params.flags &= ~lt.torrent_flags.auto_managed
params.flags &= ~lt.torrent_flags.paused
params.flags |= lt.torrent_flags.upload_mode  # check the data, write nothing
handle = ses.add_torrent(params)
handle.replace_trackers([])
deadline, checked = time.time() + 60, False
while not checked and time.time() < deadline:
    checked = any(isinstance(a, lt.torrent_checked_alert) for a in ses.pop_alerts())
    time.sleep(0.1)
if not checked:
    sys.exit("libtorrent did not finish checking within 60 s")
status = handle.status(lt.status_flags_t.query_pieces)
state = "seeding" if status.is_seeding else str(status.state)
print(state, sum(1 for p in status.pieces if p), len(status.pieces), handle.info_hashes().v1)
ses.remove_torrent(handle)
PY
}

# create_torrent NAME ARGS...: `piecemeal create ARGS -o $T/NAME.torrent`; sets CREATED_HASH and
# CREATED_PIECES from its one line, "created F: NAME, SIZE in N pieces of P, info-hash HEX".
# Returns 1 (and records the failure) when the command failed or printed something else.
create_torrent() {
  local name=$1
  shift
  run_piecemeal "create-$name" create "$@" -o "$T/$name.torrent"
  CREATED_HASH=$(sed -nE 's/^created .*, info-hash ([0-9a-f]{40})$/\1/p' <<<"$PM_OUT")
  CREATED_PIECES=$(sed -nE 's/^created .* in ([0-9,]+) pieces? of .*/\1/p' <<<"$PM_OUT" | tr -d ,)
  CREATED_PIECE_KIB=$(sed -nE 's/^created .* pieces? of ([0-9]+) KiB, .*/\1/p' <<<"$PM_OUT")
  if ((PM_STATUS != 0)) || [[ -z "$CREATED_HASH" || -n "$PM_ERR" ]]; then
    fail "$name: piecemeal create exited $PM_STATUS: ${PM_ERR:-$PM_OUT}"
    return 1
  fi
  pass "$name: piecemeal create exit 0: $PM_OUT"
}

# compare_created NAME DATA_DIR: (a) libtorrent's check of the data, (b) transmission-show and
# piecemeal info against the hash on the `created` line.
compare_created() {
  local name=$1 data=$2 torrent=$T/$1.torrent
  local expected="seeding $CREATED_PIECES $CREATED_PIECES $CREATED_HASH" lt
  lt=$(libtorrent_check "$torrent" "$data")
  check_equal "$name: libtorrent checks the original data (state, pieces it has of all, info-hash)" "$expected" "$lt"

  local transmission info
  transmission=$(infohash_transmission "$torrent")
  run_piecemeal "info-$name" info "$torrent"
  info=$(sed -nE 's/^info hash:[[:space:]]+([0-9a-f]{40})$/\1/p' <<<"$PM_OUT")
  check_equal "$name: info-hash from transmission-show vs piecemeal info vs the created line" \
    "$CREATED_HASH $CREATED_HASH $CREATED_HASH" "${transmission:-none} ${info:-none} $CREATED_HASH"
}

# same_as_tool NAME WITNESS_TORRENT LABEL: the witness tool's info-hash for the same files and
# piece length equals ours.
same_as_tool() {
  check_equal "$1: info-hash of $3 for the same files and piece length" "$CREATED_HASH" "$(infohash_transmission "$2")"
}

# 2. A single file, the piece length chosen (4 MiB + 12,345 bytes: 257 pieces of 16 KiB).
if create_torrent single-chosen "$(SINGLE_FILE)" -t "$HTTP"; then
  compare_created single-chosen "$(SINGLE_DIR)"
  make_torrent_libtorrent "$(SINGLE_FILE)" "$T/single-chosen-libtorrent.torrent" "$CREATED_PIECE_KIB" "$HTTP"
  same_as_tool single-chosen "$T/single-chosen-libtorrent.torrent" "libtorrent's creator"
fi

# 3. A single file, 64 KiB pieces, private, two tracker tiers and a comment (mktorrent -p: private too).
if create_torrent single-private "$(SINGLE_FILE)" -t "$HTTP" -t "$UDP" --piece-length 64K --private --comment "made by 09-create"; then
  compare_created single-private "$(SINGLE_DIR)"
  rm -f "$T/single-private-mktorrent.torrent"
  mktorrent -p -l 16 -a "$HTTP" -a "$UDP" -o "$T/single-private-mktorrent.torrent" "$(SINGLE_FILE)" >/dev/null
  same_as_tool single-private "$T/single-private-mktorrent.torrent" "mktorrent -p"
  tiers=$(transmission-show "$T/single-private.torrent" | grep -cE '^  Tier #[0-9]+$')
  private=$(transmission-show "$T/single-private.torrent" | sed -nE 's/^  Privacy: (.*)$/\1/p')
  check_equal "single-private: transmission-show's tracker tiers and privacy" "2 Private torrent" "$tiers $private"
fi

# 4. The tree, the piece length chosen, and with 32 KiB pieces.
if create_torrent tree-chosen "$TREE" -t "$HTTP"; then
  compare_created tree-chosen "$TREE_DIR"
  make_torrent_libtorrent "$TREE" "$T/tree-chosen-libtorrent.torrent" "$CREATED_PIECE_KIB" "$HTTP"
  same_as_tool tree-chosen "$T/tree-chosen-libtorrent.torrent" "libtorrent's creator"
  files=$(transmission-show "$T/tree-chosen.torrent" | grep -c '^  piecemeal-tree/')
  check_equal "tree-chosen: files transmission-show lists (the zero-length and hidden ones too)" 8 "$files"
fi
if create_torrent tree-32k "$TREE" -t "$HTTP" -t "$UDP" --piece-length 32K; then
  compare_created tree-32k "$TREE_DIR"
  make_torrent_mktorrent "$TREE" "$T/tree-32k-mktorrent.torrent" 32 "$HTTP" "$UDP"
  same_as_tool tree-32k "$T/tree-32k-mktorrent.torrent" "mktorrent"

  # Control: with one byte flipped in a copy, libtorrent must find exactly one piece bad, or the
  # "seeding" above proved nothing.
  copy_data "$TREE_DIR" "$CHECK_WORK/flipped"
  "$LT_PYTHON" -c 'import sys
with open(sys.argv[1], "r+b") as f:
    f.seek(50000); b = f.read(1); f.seek(50000); f.write(bytes([b[0] ^ 0xff]))' "$CHECK_WORK/flipped/piecemeal-tree/a.txt"
  check_equal "tree-32k, one byte flipped in a copy: libtorrent does not seed it" \
    "downloading $((CREATED_PIECES - 1)) $CREATED_PIECES $CREATED_HASH" \
    "$(libtorrent_check "$T/tree-32k.torrent" "$CHECK_WORK/flipped")"
fi

# 5. Determinism: the tree copied file by file in reverse sorted order (another order of creation
#    on disk, other modification times), under the same name, gives the same info-hash.
if create_torrent tree-again "$TREE" -t "$UDP" --comment "another run"; then
  first=$CREATED_HASH
  REVERSED=$CHECK_WORK/reversed/piecemeal-tree
  (cd "$TREE" && find . -type f | LC_ALL=C sort -r) | while IFS= read -r f; do
    mkdir -p "$REVERSED/$(dirname "$f")" && cp "$TREE/$f" "$REVERSED/$f"
  done
  if create_torrent tree-reversed "$REVERSED" -t "$HTTP"; then
    check_equal "the tree made in reverse order on disk: the same info-hash" "$first" "$CREATED_HASH"
  fi
  run_piecemeal info-tree-chosen-again info "$T/tree-chosen.torrent"
  check_equal "a second run over the tree (other trackers, comment and date): the same info-hash" \
    "$(sed -nE 's/^info hash:[[:space:]]+([0-9a-f]{40})$/\1/p' <<<"$PM_OUT")" "$first"
fi

# expect_refused NAME WORDS ARGS...: `piecemeal create ARGS` exits 2 with exactly one "error: "
# line on stderr that contains WORDS, and writes no torrent.
expect_refused() {
  local name=$1 words=$2
  shift 2
  local out=$T/refused-$name.torrent
  run_piecemeal "refused-$name" create "$@" -o "$out"
  local lines first
  lines=$(grep -c '' <<<"$PM_ERR")
  first=$(head -n 1 <<<"$PM_ERR")
  if ((PM_STATUS == 2)) && ((lines == 1)) && [[ "$first" == "error: "*"$words"* && ! -e "$out" ]]; then
    pass "$name: exit 2, no torrent, one line: $first"
  else
    fail "$name: expected exit 2, no torrent and one 'error: ...$words...' line, got exit $PM_STATUS and $lines line(s): $first"
  fi
}

# 6. Refusals as a person meets them: the C locale (Java cannot read the non-ASCII name there) and
#    a symbolic link inside the tree.
LC_ALL=C expect_refused c-locale "run it in a UTF-8 locale (for example LC_ALL=C.UTF-8)" "$TREE" -t "$HTTP"
LINKED=$CHECK_WORK/linked/piecemeal-tree
copy_data "$TREE" "$LINKED"
ln -s ../a.txt "$LINKED/docs/link-to-a.txt"
expect_refused symlink "$LINKED/docs/link-to-a.txt: is a symbolic link" "$LINKED" -t "$HTTP"
