# opentracker, the tracker every check announces to.

# pick_tracker_port: choose the tracker's port before the torrents are made (their announce URLs
# name it). Sets TRACKER_PORT, TRACKER_HTTP and TRACKER_UDP. opentracker serves HTTP (TCP) and
# UDP on the same port number.
pick_tracker_port() {
  TRACKER_PORT=$(free_port) || return 1
  TRACKER_HTTP=http://127.0.0.1:$TRACKER_PORT/announce
  TRACKER_UDP=udp://127.0.0.1:$TRACKER_PORT/announce
}

# start_opentracker INFO_HASH...: start opentracker on 127.0.0.1:$TRACKER_PORT (HTTP and UDP),
# serving only the given info-hashes, and wait until it answers.
#
# Debian builds opentracker whitelist-only: a hash not in the whitelist gets "Requested download
# is not authorized" instead of peers. It chroots into its -d folder and then runs as `nobody`, so
# the whitelist's path in the config is the path *inside* that folder, and both the folder and
# the file must be readable by nobody.
start_opentracker() {
  local root=$CHECK_WORK/opentracker
  mkdir -p "$root"
  printf '%s\n' "$@" >"$root/whitelist"
  if ((EUID == 0)); then
    printf 'access.whitelist /whitelist\n' >"$root/opentracker.conf"
  else
    # Not root: the chroot and the switch to nobody fail quietly and it carries on in place.
    printf 'access.whitelist %s/whitelist\n' "$root" >"$root/opentracker.conf"
  fi
  chmod 755 "$root"
  chmod 644 "$root/whitelist" "$root/opentracker.conf"
  # -u nobody explicitly: the default, said out loud.
  start_bg opentracker 1800 opentracker -i 127.0.0.1 -p "$TRACKER_PORT" -P "$TRACKER_PORT" \
    -d "$root" -u nobody -f "$root/opentracker.conf"
  if ! wait_until 10 tracker_answers; then
    fail "opentracker did not answer on 127.0.0.1:$TRACKER_PORT within 10 s"
    return 1
  fi
}

# tracker_answers: true when opentracker answers an HTTP request on its port.
tracker_answers() {
  "$LT_PYTHON" -c 'import sys, urllib.request
urllib.request.urlopen("http://127.0.0.1:%s/scrape" % sys.argv[1], timeout=2).read()' "$TRACKER_PORT"
}

# tracker_complete INFO_HASH: print how many seeders the tracker knows for the hash (a scrape
# request: it asks without adding a peer to the swarm, unlike an announce).
tracker_complete() {
  "$LT_PYTHON" - "$TRACKER_PORT" "$1" <<'PY'
import re, sys, urllib.parse, urllib.request
port, hex_hash = sys.argv[1], sys.argv[2]
query = urllib.parse.quote(bytes.fromhex(hex_hash))
with urllib.request.urlopen("http://127.0.0.1:%s/scrape?info_hash=%s" % (port, query), timeout=3) as r:
    body = r.read()
m = re.search(rb"8:completei(\d+)e", body)
print(m.group(1).decode() if m else 0)
PY
}

# wait_for_seeders INFO_HASH COUNT TIMEOUT: wait until the tracker knows COUNT seeders.
tracker_has_seeders() { (($(tracker_complete "$1") >= $2)); }
wait_for_seeders() {
  if ! wait_until "$3" tracker_has_seeders "$1" "$2"; then
    fail "tracker knows $(tracker_complete "$1") seeders of $1 after $3 s, expected $2"
    return 1
  fi
}
