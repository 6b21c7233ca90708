#!/usr/bin/python3
"""Runs one downloader and measures it from the outside, the same way for every client.

  timed.py --watch DIR --samples CSV --label NAME --timeout SECONDS [--log FILE] [--first-line REGEX] -- COMMAND...

Starts COMMAND as a child of this process and, every 0.1 s until it exits, writes one CSV row
"label,seconds,bytes" to CSV: the bytes the files under DIR occupy on disk (st_blocks × 512, so a
sparse file counts only what was written). When it exits, prints one line:

  wall=7.41 user=8.20 sys=2.31 maxrss_kib=231040 exit=0 first_line=

wall from start to exit; user, sys and the peak resident set from wait4(), the kernel's own count
for the child (its own children included, once they are waited for). With --first-line, the
child's stdout is read line by line and first_line is the seconds until a line matched REGEX; then
the child is stopped (TERM, KILL after 5 s): that run measures only how soon it got going; each
stdout line goes to the log with its seconds since the start, to show where that time went. A child
still running after SECONDS is stopped the same way and reported with exit=timeout.
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import threading
import time


def disk_bytes(folder):
    total = 0
    for root, _, names in os.walk(folder):
        for name in names:
            try:
                total += os.lstat(os.path.join(root, name)).st_blocks * 512
            except FileNotFoundError:
                pass  # a client's temporary file, gone between the listing and the stat
    return total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--watch", required=True)
    parser.add_argument("--samples", required=True)
    parser.add_argument("--label", required=True)
    parser.add_argument("--timeout", type=float, required=True)
    parser.add_argument("--first-line")
    parser.add_argument("--log", default=os.devnull, help="where the child's stderr (and stdout) go")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command

    first = {"seconds": None}
    start = time.monotonic()
    log = open(args.log, "ab")
    child = subprocess.Popen(command, stdout=subprocess.PIPE if args.first_line else log, stderr=log)

    def stop_child():
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 5
            while child.poll() is None and time.monotonic() < deadline:
                time.sleep(0.05)
            if child.poll() is None:
                child.kill()

    if args.first_line:
        pattern = re.compile(args.first_line)

        def read_lines():
            for raw in child.stdout:
                # each stdout line into the log with its time since the start: where the time went
                log.write(b"%8.3f " % (time.monotonic() - start) + raw)
                log.flush()
                if first["seconds"] is None and pattern.search(raw.decode("utf-8", "replace")):
                    first["seconds"] = time.monotonic() - start
                    os.kill(child.pid, signal.SIGTERM)
            # the rest of stdout is drained until the child closes it
        threading.Thread(target=read_lines, daemon=True).start()

    timed_out = False
    with open(args.samples, "a") as samples:
        while True:
            # wait4 with WNOHANG: reap the child and take its rusage the moment it exits
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            now = time.monotonic() - start
            if pid == child.pid:
                break
            samples.write("%s,%.2f,%d\n" % (args.label, now, disk_bytes(args.watch)))
            if now > args.timeout and not timed_out:
                timed_out = True
                threading.Thread(target=stop_child, daemon=True).start()
            time.sleep(0.1)
        samples.write("%s,%.2f,%d\n" % (args.label, now, disk_bytes(args.watch)))
    child.returncode = os.waitstatus_to_exitcode(status)
    exit_text = "timeout" if timed_out else str(child.returncode)
    print("wall=%.2f user=%.2f sys=%.2f maxrss_kib=%d exit=%s first_line=%s" % (
        now, usage.ru_utime, usage.ru_stime, usage.ru_maxrss, exit_text,
        "" if first["seconds"] is None else "%.3f" % first["seconds"]))


if __name__ == "__main__":
    sys.exit(main())
