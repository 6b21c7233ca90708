# Test data and the torrents three real tools make of it.

# make_test_data: create (once; cached under .work/data) the two data sets every check uses:
#   $DATA/single/single.bin            4,206,649 bytes: 4 MiB + 12,345, a multiple of no piece size
#   $DATA/multi/piecemeal-multi/...    nested folders, one zero-length file, sizes off piece bounds
# The bytes are pseudo-random but deterministic: block i of a file is SHA-256(file name, i), so
# every machine makes the same files and the same info-hashes.
DATA=$WORK_ROOT/data
make_test_data() {
  [[ -f "$DATA/.complete-v1" ]] && return 0
  rm -rf "$DATA" "$DATA.tmp"
  "$LT_PYTHON" - "$DATA.tmp" <<'PY' || return 1
import hashlib, os, sys
root = sys.argv[1]
files = {
    "single/single.bin": 4 * 1024 * 1024 + 12345,
    "multi/piecemeal-multi/a.txt": 100003,
    "multi/piecemeal-multi/docs/readme.md": 7777,
    "multi/piecemeal-multi/docs/deep/nested/data.bin": 1234567,
    "multi/piecemeal-multi/empty.dat": 0,
    "multi/piecemeal-multi/z/last.bin": 65537,
}
for name, size in files.items():
    path = os.path.join(root, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as out:
        i = 0
        while size > 0:
            block = hashlib.sha256(("%s:%d" % (name, i)).encode()).digest()
            out.write(block[:size])
            size -= len(block)
            i += 1
PY
  touch "$DATA.tmp/.complete-v1"
  mv "$DATA.tmp" "$DATA"
}

SINGLE_DIR() { echo "$DATA/single"; }
SINGLE_FILE() { echo "$DATA/single/single.bin"; }
MULTI_DIR() { echo "$DATA/multi"; }
MULTI_ROOT() { echo "$DATA/multi/piecemeal-multi"; }

# copy_data SRC_DIR DEST_DIR: give a seeder its own copy of a data folder (a few MB), so that no
# client can change the shared data another check reads.
copy_data() { mkdir -p "$2" && cp -r "$1"/. "$2"/; }

# sums DIR: "SHA-256  ./path" of every file under DIR (zero-length files too), sorted. aria2's
# control files (*.aria2, left beside an unfinished download) are not data and are left out.
sums() { (cd "$1" && find . -type f ! -name '*.aria2' | LC_ALL=C sort | xargs -r sha256sum); }

# same_files LABEL EXPECTED_DIR ACTUAL_DIR: every file's SHA-256 equal, no file missing or extra.
same_files() {
  local label=$1 expected actual
  expected=$(sums "$2")
  actual=$(sums "$3")
  if [[ -n "$expected" && "$expected" == "$actual" ]]; then
    pass "$label: SHA-256 of all $(wc -l <<<"$actual") file(s) equal to the source data"
  else
    fail "$label: files differ from the source data (< source, > download):"
    diff <(echo "$expected") <(echo "$actual") | head -20 | sed 's/^/    /'
  fi
}

# make_torrent_mktorrent PATH OUT PIECE_KIB TRACKER...: mktorrent (pieces of at least 32 KiB;
# each tracker after the first becomes a backup tier).
make_torrent_mktorrent() {
  local path=$1 out=$2 kib=$3
  shift 3
  local log2=0 size=$((kib * 1024))
  while ((size > 1)); do size=$((size / 2)); log2=$((log2 + 1)); done
  local args=(-d -l "$log2" -o "$out")
  local url
  for url in "$@"; do args+=(-a "$url"); done
  rm -f "$out"
  mktorrent "${args[@]}" "$path" >/dev/null
}

# make_torrent_transmission PATH OUT PIECE_KIB TRACKER...: transmission-create (leaves
# zero-length files out of the torrent).
make_torrent_transmission() {
  local path=$1 out=$2 kib=$3
  shift 3
  local args=(-s "$kib" -o "$out")
  local url
  for url in "$@"; do args+=(-t "$url"); done
  rm -f "$out"
  transmission-create "${args[@]}" "$path" >/dev/null
}

# make_torrent_libtorrent PATH OUT PIECE_KIB TRACKER... : libtorrent's creator, v1 only, files
# added in sorted order. make_torrent_libtorrent_hybrid: the same as a v1+v2 hybrid torrent, the
# kind qBittorrent 4.4+ makes by default (its v1 info-hash covers the v2 keys too).
make_torrent_libtorrent() {
  local path=$1 out=$2 kib=$3
  shift 3
  local args=(--piece-kib "$kib")
  local url
  for url in "$@"; do args+=(--tracker "$url"); done
  "$LT_PYTHON" "$INTEROP_DIR/lib/lt_seed.py" create "${args[@]}" "$path" "$out"
}
make_torrent_libtorrent_hybrid() {
  local path=$1 out=$2 kib=$3
  shift 3
  local args=(--hybrid --piece-kib "$kib")
  local url
  for url in "$@"; do args+=(--tracker "$url"); done
  "$LT_PYTHON" "$INTEROP_DIR/lib/lt_seed.py" create "${args[@]}" "$path" "$out"
}

# What the real tools say a torrent's info-hash is.
infohash_transmission() { transmission-show "$1" | sed -n 's/^ *Hash: *\([0-9a-f]\{40\}\).*/\1/p'; }
infohash_libtorrent() { "$LT_PYTHON" "$INTEROP_DIR/lib/lt_seed.py" infohash "$1"; }
piece_count_libtorrent() {
  "$LT_PYTHON" -c 'import sys, libtorrent as lt; print(lt.torrent_info(sys.argv[1]).num_pieces())' "$1"
}

# missing_pieces_libtorrent TORRENT DATA_DIR: the pieces libtorrent's own recheck finds missing or
# bad in DATA_DIR, space-separated, in ascending order (empty when the data is complete).
missing_pieces_libtorrent() { "$LT_PYTHON" "$INTEROP_DIR/lib/lt_seed.py" missing "$1" "$2"; }
