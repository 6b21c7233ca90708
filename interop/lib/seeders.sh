# Real clients that seed (and download) in the checks. Each start_* function starts one client on
# 127.0.0.1 with DHT, local peer discovery, UPnP/NAT-PMP, PEX and uTP off, waits until it serves
# the whole torrent, and sets SEEDER_PORT (its peer port). NAME names its log and its folder.

# start_transmission_seeder NAME TORRENT DATA_DIR [BYTES_PER_SECOND]: transmission-daemon 3.00
# seeding TORRENT from DATA_DIR; with BYTES_PER_SECOND, its upload is capped at that rate
# (speed-limit-up, in Transmission's kB of 1000 bytes). Start a fresh one for every check:
# Transmission keeps one connection per IP, and once a 127.0.0.1 peer has completed it treats
# later 127.0.0.1 peers as seeds and drops them.
start_transmission_seeder() {
  local name=$1 torrent=$2 data=$3 limit=${4:-0}
  local limit_enabled=false limit_kb=100
  if ((limit > 0)); then
    limit_enabled=true
    limit_kb=$(((limit + 999) / 1000))
  fi
  local config=$CHECK_WORK/$name/config
  mkdir -p "$config"
  SEEDER_PORT=$(free_port) || return 1
  local rpc_port
  rpc_port=$(free_port) || return 1
  cat >"$config/settings.json" <<JSON
{
  "bind-address-ipv4": "127.0.0.1",
  "bind-address-ipv6": "::1",
  "peer-port": $SEEDER_PORT,
  "peer-port-random-on-start": false,
  "dht-enabled": false,
  "lpd-enabled": false,
  "pex-enabled": false,
  "utp-enabled": false,
  "port-forwarding-enabled": false,
  "rpc-enabled": true,
  "rpc-bind-address": "127.0.0.1",
  "rpc-port": $rpc_port,
  "rpc-authentication-required": false,
  "rpc-whitelist-enabled": true,
  "rpc-whitelist": "127.0.0.1",
  "rpc-host-whitelist-enabled": false,
  "download-dir": "$data",
  "incomplete-dir-enabled": false,
  "watch-dir-enabled": false,
  "ratio-limit-enabled": false,
  "idle-seeding-limit-enabled": false,
  "speed-limit-up-enabled": $limit_enabled,
  "speed-limit-up": $limit_kb,
  "speed-limit-down-enabled": false,
  "blocklist-enabled": false,
  "encryption": 1,
  "message-level": 2
}
JSON
  start_bg "$name" "$PROCESS_LIMIT" transmission-daemon -f -g "$config" --no-dht --no-lpd --no-portmap \
    --no-utp --log-info || return 1
  TR_RPC[$name]=127.0.0.1:$rpc_port
  if ! wait_until 15 transmission-remote "${TR_RPC[$name]}" -l; then
    fail "$name: transmission-daemon RPC did not answer on ${TR_RPC[$name]} within 15 s"
    return 1
  fi
  if ! transmission-remote "${TR_RPC[$name]}" -a "$torrent" -w "$data" \
    >"$CHECK_WORK/logs/$name-add.log" 2>&1; then
    fail "$name: transmission-remote could not add $torrent"
    return 1
  fi
  if ! wait_until 60 transmission_is_seeding "$name"; then
    fail "$name: Transmission is not seeding $torrent after 60 s"
    transmission-remote "${TR_RPC[$name]}" -t all -i >"$CHECK_WORK/logs/$name-status.log" 2>&1
    return 1
  fi
  log "$name: Transmission seeding on 127.0.0.1:$SEEDER_PORT"
}
declare -A TR_RPC=()
# Seeding means: all of it verified, and not stopped or verifying. transmission-remote says "Idle"
# for a torrent that seeds while no peer is connected.
transmission_is_seeding() {
  local info
  info=$(transmission-remote "${TR_RPC[$1]}" -t all -i) || return 1
  grep -q 'Percent Done: 100%' <<<"$info" && grep -qE 'State: (Idle|Seeding|Uploading)' <<<"$info"
}

# start_libtorrent_seeder NAME TORRENT DATA_DIR [BYTES_PER_SECOND]: libtorrent 2.0 (lt_seed.py)
# seeding TORRENT; with BYTES_PER_SECOND, its upload to all peers together is capped at that rate.
start_libtorrent_seeder() {
  local name=$1 torrent=$2 data=$3 limit=${4:-0}
  SEEDER_PORT=$(free_port) || return 1
  local options=()
  ((limit > 0)) && options=(--upload-limit "$limit")
  start_bg "$name" "$PROCESS_LIMIT" "$LT_PYTHON" "$INTEROP_DIR/lib/lt_seed.py" seed "${options[@]}" \
    "$torrent" "$data" "$SEEDER_PORT" || return 1
  if ! wait_until 60 grep -q ' seeding$' "$CHECK_WORK/logs/$name.log"; then
    fail "$name: libtorrent is not seeding $torrent after 60 s"
    return 1
  fi
  log "$name: libtorrent seeding on 127.0.0.1:$SEEDER_PORT"
}

# The switches that keep aria2 on loopback, shared by the seeder and the downloader.
# aria2 cannot announce to udp:// trackers with DHT off (its UDP tracker client shares the DHT
# socket), so give it torrents with an http:// tracker.
ARIA2_LOOPBACK=(--no-conf=true --enable-dht=false --enable-dht6=false --bt-enable-lpd=false
  --enable-peer-exchange=false --interface=127.0.0.1 --disable-ipv6=true
  --bt-require-crypto=false --file-allocation=none --summary-interval=1 --console-log-level=notice)

# start_aria2_seeder NAME TORRENT DATA_DIR [BYTES_PER_SECOND]: aria2c checking the data in
# DATA_DIR, then seeding (--seed-ratio=0.0 means: seed whatever the ratio, until stopped); with
# BYTES_PER_SECOND, its upload is capped at that rate (--max-overall-upload-limit).
start_aria2_seeder() {
  local name=$1 torrent=$2 data=$3 limit=${4:-0}
  SEEDER_PORT=$(free_port) || return 1
  start_bg "$name" "$PROCESS_LIMIT" aria2c "${ARIA2_LOOPBACK[@]}" --listen-port="$SEEDER_PORT" \
    --max-overall-upload-limit="$limit" --check-integrity=true --seed-ratio=0.0 -d "$data" \
    "$torrent" || return 1
  # aria2 prints a "SEED(" status once it has verified the data and serves it.
  if ! wait_until 60 grep -q 'SEED(' "$CHECK_WORK/logs/$name.log"; then
    fail "$name: aria2 is not seeding $torrent after 60 s"
    return 1
  fi
  log "$name: aria2 seeding on 127.0.0.1:$SEEDER_PORT"
}

# aria2_download NAME TORRENT OUT_DIR MAX_SECONDS: aria2c downloads TORRENT into OUT_DIR and exits
# when done (--seed-time=0). Returns aria2c's exit status.
aria2_download() {
  local name=$1 torrent=$2 out=$3 max=$4
  local port
  port=$(free_port) || return 1
  mkdir -p "$out" "$CHECK_WORK/logs"
  log "$name: aria2c downloading $(basename "$torrent") on port $port"
  timeout --kill-after=5 "$max" aria2c "${ARIA2_LOOPBACK[@]}" --listen-port="$port" \
    --seed-time=0 -d "$out" "$torrent" >"$CHECK_WORK/logs/$name.log" 2>&1
}

# libtorrent_download NAME TORRENT OUT_DIR MAX_SECONDS [OPTION...]: libtorrent (lt_seed.py) downloads
# TORRENT; the options go to lt_seed.py download (--download-limit BYTES_PER_S).
libtorrent_download() {
  local name=$1 torrent=$2 out=$3 max=$4
  local options=("${@:5}") # e.g. --download-limit BYTES_PER_S
  local port
  port=$(free_port) || return 1
  mkdir -p "$out" "$CHECK_WORK/logs"
  log "$name: libtorrent downloading $(basename "$torrent") on port $port"
  timeout --kill-after=5 "$max" "$LT_PYTHON" "$INTEROP_DIR/lib/lt_seed.py" download "${options[@]}" \
    "$torrent" "$out" "$port" >"$CHECK_WORK/logs/$name.log" 2>&1
}

# transmission_download NAME TORRENT OUT_DIR MAX_SECONDS: transmission-cli 3.00 downloads TORRENT
# into OUT_DIR, then exits (a ratio limit of 0 stops the torrent as soon as it is complete, and
# transmission-cli exits when its torrent stops). Returns its exit status. It never dials a peer on
# 127.0.0.0/8 itself: it gets data only from peers that dial it, having learned its port from the
# tracker. DHT, LPD, PEX, uTP and port forwarding off; plain (unencrypted) connections preferred.
transmission_download() {
  local name=$1 torrent=$2 out=$3 max=$4
  local port config=$CHECK_WORK/$name-config
  port=$(free_port) || return 1
  mkdir -p "$out" "$config" "$CHECK_WORK/logs"
  cat >"$config/settings.json" <<JSON
{
  "bind-address-ipv4": "127.0.0.1",
  "bind-address-ipv6": "::1",
  "peer-port": $port,
  "peer-port-random-on-start": false,
  "dht-enabled": false,
  "lpd-enabled": false,
  "pex-enabled": false,
  "utp-enabled": false,
  "port-forwarding-enabled": false,
  "rpc-enabled": false,
  "download-dir": "$out",
  "incomplete-dir-enabled": false,
  "watch-dir-enabled": false,
  "ratio-limit-enabled": true,
  "ratio-limit": 0,
  "blocklist-enabled": false,
  "encryption": 0,
  "message-level": 2
}
JSON
  log "$name: transmission-cli downloading $(basename "$torrent") on port $port"
  TRANSMISSION_PORT=$port
  timeout --kill-after=5 "$max" transmission-cli -g "$config" -p "$port" -M -et -w "$out" "$torrent" \
    >"$CHECK_WORK/logs/$name.log" 2>&1
}
