#!/usr/bin/env bash
# Chapter 10 (magnet links): Piecemeal given only a magnet link fetches the metadata (BEP 9) and
# then the data from a real client, through opentracker (the link's tr); and libtorrent given only
# a magnet link fetches both from `piecemeal seed` alone. Every file is compared byte for byte.
#
#   direction                              link                  torrent (single file)
#   libtorrent 2.0 seeds, Piecemeal gets   xt + tr               16 KiB pieces, libtorrent
#   Transmission 3.00 seeds, Piecemeal     xt + tr               64 KiB pieces, mktorrent
#   qBittorrent 4.5 seeds, Piecemeal       xt + tr               32 KiB pieces, mktorrent
#   libtorrent seeds, Piecemeal            xt + x.pe, no tr      128 KiB pieces, mktorrent
#   piecemeal seed seeds, libtorrent gets  xt + tr               256 KiB pieces, mktorrent
#   download --seed seeds, libtorrent gets xt + x.pe, no tr      512 KiB pieces, mktorrent
#
# Each row is its own torrent, so its own swarm. libtorrent runs with its ut_metadata plugin
# (lt_magnet.py); Transmission and qBittorrent serve metadata by default. The libtorrent row's
# run of Piecemeal is traced (--trace), and the extension handshakes both ways are kept in
# logs/extension-handshakes.txt for chapter 10.
source "$(dirname "$0")/../lib/common.sh"
source "$INTEROP_DIR/lib/torrents.sh"
source "$INTEROP_DIR/lib/tracker.sh"
source "$INTEROP_DIR/lib/seeders.sh"
source "$INTEROP_DIR/lib/piecemeal.sh"

make_test_data || { fail "could not make the test data"; exit 1; }
pick_tracker_port || exit 1

T=$CHECK_WORK/torrents
mkdir -p "$T"
make_torrent_libtorrent "$(SINGLE_FILE)" "$T/lt-16k.torrent" 16 "$TRACKER_HTTP"
make_torrent_mktorrent "$(SINGLE_FILE)" "$T/tr-64k.torrent" 64 "$TRACKER_HTTP"
make_torrent_mktorrent "$(SINGLE_FILE)" "$T/qbt-32k.torrent" 32 "$TRACKER_HTTP"
make_torrent_mktorrent "$(SINGLE_FILE)" "$T/xpe-128k.torrent" 128 "$TRACKER_HTTP"
make_torrent_mktorrent "$(SINGLE_FILE)" "$T/pm-256k.torrent" 256 "$TRACKER_HTTP"
make_torrent_mktorrent "$(SINGLE_FILE)" "$T/dlseed-512k.torrent" 512 "$TRACKER_HTTP"
declare -A HASH=()
for t in "$T"/*.torrent; do HASH[$(basename "$t" .torrent)]=$(infohash_libtorrent "$t"); done
if (($(printf '%s\n' "${HASH[@]}" | sort -u | wc -l) != ${#HASH[@]})); then
  fail "two torrents have the same info-hash, so their swarms would mix: ${HASH[*]}"
  exit 1
fi
start_opentracker "${HASH[@]}" || exit 1
TR_ENCODED=$(sed 's/:/%3A/g; s#/#%2F#g' <<<"$TRACKER_HTTP")
export PIECEMEAL_TIMEOUT=180

# magnet_download LABEL NAME LINK [OPTIONS...]: Piecemeal downloads from LINK alone; checks the
# metadata line, the exit status and the files.
magnet_download() {
  local label=$1 name=$2 link=$3
  shift 3
  local out=$CHECK_WORK/pm-$name
  run_piecemeal "pm-$name" download "$link" -o "$out" --bind 127.0.0.1 --port "$(free_port)" \
    --save-torrent "$CHECK_WORK/pm-$name.torrent" --give-up-after 90 "$@"
  if ((PM_STATUS == 0)) && grep -q '^metadata: ' <<<"$PM_OUT"; then
    pass "$label: $(grep -m 1 '^metadata: ' <<<"$PM_OUT")"
    same_files "$label" "$(SINGLE_DIR)" "$out"
  else
    fail "$label: exit $PM_STATUS: $(tail -n 1 <<<"$PM_ERR") $(grep -v '^\(->\|<-\|127\)' <<<"$PM_OUT" | tail -n 3)"
    return
  fi
  local saved
  saved=$(infohash_libtorrent "$CHECK_WORK/pm-$name.torrent")
  check_equal "$label: --save-torrent writes a torrent with the link's info-hash" "${HASH[$name]}" "$saved"
}

# 1. libtorrent seeds; Piecemeal has the link (xt and tr) and traces every message
copy_data "$(SINGLE_DIR)" "$CHECK_WORK/lt-data"
start_bg lt-seed "$PROCESS_LIMIT" "$LT_PYTHON" "$INTEROP_DIR/lib/lt_magnet.py" seed "$T/lt-16k.torrent" \
  "$CHECK_WORK/lt-data" "$(free_port)"
if wait_until 60 grep -q ' seeding$' "$CHECK_WORK/logs/lt-seed.log" && wait_for_seeders "${HASH[lt-16k]}" 1 30; then
  magnet_download "Piecemeal from libtorrent, magnet xt+tr" lt-16k \
    "magnet:?xt=urn:btih:${HASH[lt-16k]}&dn=single.bin&tr=$TR_ENCODED" --trace
  grep -F 'extended id 0 (handshake)' "$CHECK_WORK/logs/pm-lt-16k.out" | head -n 3 >"$CHECK_WORK/logs/extension-handshakes.txt"
  if grep -q '<- extended id 0 (handshake), .*metadata_size' "$CHECK_WORK/logs/extension-handshakes.txt" \
    && grep -q -- '-> extended id 0 (handshake), .*ut_metadata' "$CHECK_WORK/logs/extension-handshakes.txt"; then
    pass "the extension handshakes, decoded: $(tr '\n' ' ' <"$CHECK_WORK/logs/extension-handshakes.txt" | cut -c1-300)"
  else
    fail "no decoded extension handshake in the trace"
  fi
else
  fail "libtorrent did not seed lt-16k, or the tracker does not count it"
fi
stop lt-seed

# 2. Transmission seeds (it never dials loopback peers; Piecemeal dials it)
copy_data "$(SINGLE_DIR)" "$CHECK_WORK/tr-data"
if start_transmission_seeder tr-seed "$T/tr-64k.torrent" "$CHECK_WORK/tr-data"; then
  wait_for_seeders "${HASH[tr-64k]}" 1 30
  magnet_download "Piecemeal from Transmission, magnet xt+tr" tr-64k \
    "magnet:?xt=urn:btih:${HASH[tr-64k]}&tr=$TR_ENCODED"
fi
stop tr-seed

# 3. qBittorrent seeds: a profile folder written first, the torrent added through its WebUI API
qbt_seed() {
  local profile=$CHECK_WORK/qbt-profile data=$CHECK_WORK/qbt-data
  local port webui
  port=$(free_port) && webui=$(free_port) || return 1
  copy_data "$(SINGLE_DIR)" "$data"
  mkdir -p "$profile/qBittorrent/config"
  cat >"$profile/qBittorrent/config/qBittorrent.conf" <<CONF
[LegalNotice]
Accepted=true

[BitTorrent]
Session\\DHTEnabled=false
Session\\LSDEnabled=false
Session\\PeXEnabled=false
Session\\Interface=lo
Session\\InterfaceName=lo
Session\\InterfaceAddress=127.0.0.1
Session\\Port=$port
Session\\MultiConnectionsPerIp=true
Session\\BTProtocol=TCP
Session\\Encryption=0
Session\\QueueingSystemEnabled=false
Session\\DefaultSavePath=$data
Session\\AnonymousModeEnabled=false

[Network]
PortForwardingEnabled=false

[Preferences]
Connection\\ResolvePeerCountries=false
Connection\\UPnP=false
General\\Locale=en
WebUI\\Address=127.0.0.1
WebUI\\Port=$webui
WebUI\\LocalHostAuth=false
WebUI\\CSRFProtection=false
WebUI\\HostHeaderValidation=false
WebUI\\UseUPnP=false
CONF
  start_bg qbt-seed "$PROCESS_LIMIT" qbittorrent-nox --profile="$profile" || return 1
  QBT=http://127.0.0.1:$webui
  if ! wait_until 30 curl -sf "$QBT/api/v2/app/version"; then
    fail "qbittorrent-nox: no WebUI on $QBT within 30 s"
    return 1
  fi
  log "qBittorrent $(curl -s "$QBT/api/v2/app/version") on 127.0.0.1:$port"
  curl -sf -F "torrents=@$T/qbt-32k.torrent" -F "savepath=$data" "$QBT/api/v2/torrents/add" >/dev/null || {
    fail "qbittorrent-nox: the WebUI API did not take the torrent"; return 1; }
  if ! wait_until 60 eval "curl -s '$QBT/api/v2/torrents/info' | grep -qE '\"state\":\"(uploading|stalledUP|forcedUP)\"'"; then
    fail "qbittorrent-nox is not seeding after 60 s: $(curl -s "$QBT/api/v2/torrents/info" | cut -c1-300)"
    return 1
  fi
}
if qbt_seed; then
  wait_for_seeders "${HASH[qbt-32k]}" 1 60
  magnet_download "Piecemeal from qBittorrent, magnet xt+tr" qbt-32k \
    "magnet:?xt=urn:btih:${HASH[qbt-32k]}&tr=$TR_ENCODED"
fi
stop qbt-seed

# 4. x.pe and no tracker: the link names the libtorrent seeder itself
copy_data "$(SINGLE_DIR)" "$CHECK_WORK/xpe-data"
XPE_PORT=$(free_port)
start_bg xpe-seed "$PROCESS_LIMIT" "$LT_PYTHON" "$INTEROP_DIR/lib/lt_magnet.py" seed "$T/xpe-128k.torrent" \
  "$CHECK_WORK/xpe-data" "$XPE_PORT"
if wait_until 60 grep -q ' seeding$' "$CHECK_WORK/logs/xpe-seed.log"; then
  magnet_download "Piecemeal from libtorrent, magnet xt+x.pe, no tracker" xpe-128k \
    "magnet:?xt=urn:btih:${HASH[xpe-128k]}&x.pe=127.0.0.1:$XPE_PORT"
else
  fail "libtorrent did not seed xpe-128k"
fi
stop xpe-seed

# 5. the other direction: libtorrent has only the magnet link; piecemeal seed is the only seeder
copy_data "$(SINGLE_DIR)" "$CHECK_WORK/pm-seed-data"
start_piecemeal pm-seed seed "$T/pm-256k.torrent" -d "$CHECK_WORK/pm-seed-data" --bind 127.0.0.1 \
  --port "$(free_port)" --announce-interval 2 || exit 1
if await_piecemeal_line pm-seed '^seeding until stopped$' 60 && wait_for_seeders "${HASH[pm-256k]}" 1 30; then
  out=$CHECK_WORK/lt-from-pm started=$SECONDS
  if timeout --kill-after=5 120 "$LT_PYTHON" "$INTEROP_DIR/lib/lt_magnet.py" download \
    "magnet:?xt=urn:btih:${HASH[pm-256k]}&tr=$TR_ENCODED" "$out" "$(free_port)" >"$CHECK_WORK/logs/lt-from-pm.log" 2>&1; then
    pass "libtorrent from piecemeal seed alone, magnet xt+tr: $(grep -m 1 'metadata received' "$CHECK_WORK/logs/lt-from-pm.log" | cut -d' ' -f2-); complete in $((SECONDS - started)) s"
    same_files "libtorrent from piecemeal seed, by magnet link" "$(SINGLE_DIR)" "$out"
  else
    fail "libtorrent did not download from piecemeal seed by magnet link: $(tail -n 3 "$CHECK_WORK/logs/lt-from-pm.log")"
  fi
fi
interrupt_piecemeal pm-seed
finish_piecemeal pm-seed 30

# 6. `download --seed` serves the metadata too: its data is all on disk already, so it seeds at
#    once; libtorrent has a link whose x.pe is Piecemeal's port, and no tracker
copy_data "$(SINGLE_DIR)" "$CHECK_WORK/dlseed-data"
DLSEED_PORT=$(free_port)
start_piecemeal dl-seed download "$T/dlseed-512k.torrent" -o "$CHECK_WORK/dlseed-data" --seed --bind 127.0.0.1 \
  --port "$DLSEED_PORT" || exit 1
if await_piecemeal_line dl-seed '^seeding until stopped$' 60; then
  out=$CHECK_WORK/lt-from-dlseed started=$SECONDS
  if timeout --kill-after=5 120 "$LT_PYTHON" "$INTEROP_DIR/lib/lt_magnet.py" download \
    "magnet:?xt=urn:btih:${HASH[dlseed-512k]}&x.pe=127.0.0.1:$DLSEED_PORT" "$out" "$(free_port)" \
    >"$CHECK_WORK/logs/lt-from-dlseed.log" 2>&1; then
    pass "libtorrent from piecemeal download --seed, magnet xt+x.pe: $(grep -m 1 'metadata received' "$CHECK_WORK/logs/lt-from-dlseed.log" | cut -d' ' -f2-); complete in $((SECONDS - started)) s"
    same_files "libtorrent from piecemeal download --seed, by magnet link" "$(SINGLE_DIR)" "$out"
  else
    fail "libtorrent did not download from piecemeal download --seed by magnet link: $(tail -n 3 "$CHECK_WORK/logs/lt-from-dlseed.log")"
  fi
fi
interrupt_piecemeal dl-seed
finish_piecemeal dl-seed 30
