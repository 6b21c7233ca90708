#!/usr/bin/python3
"""The benchmark's report, from its own data: results.md (tables to paste into chapter 11) and
rates.svg (download rate over time, drawn here as plain SVG: no plotting package).

  report.py RUNS_CSV RATES_CSV OUT_DIR --size MIB --first-request "0.41 0.39 0.40" --machine TEXT --command TEXT

The median run of a downloader is the one of median wall time; its samples (bytes on disk every
0.1 s) become a rate by differences over a sliding 0.5 s window.
"""

import argparse
import csv
import statistics
from collections import defaultdict

CASES = {"one-seeder-1m": "1 libtorrent seeder, 1 MiB pieces",
         "one-seeder-4m": "1 libtorrent seeder, 4 MiB pieces",
         "two-seeders-1m": "libtorrent and aria2 seeding, 1 MiB pieces"}
COLOURS = {"piecemeal": "#d62728", "libtorrent": "#1f77b4", "aria2": "#2ca02c",
           "piecemeal, 2 seeders": "#ff7f0e", "piecemeal, 4 MiB pieces": "#9467bd"}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("runs_csv")
    parser.add_argument("rates_csv")
    parser.add_argument("out")
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--first-request", default="")
    parser.add_argument("--machine", default="")
    parser.add_argument("--command", default="")
    args = parser.parse_args()

    runs = list(csv.DictReader(open(args.runs_csv)))
    groups = defaultdict(list)
    for row in runs:
        groups[(row["case"], row["downloader"])].append(row)

    def median(key, case, who):
        good = [float(r[key]) for r in groups[(case, who)] if r["exit"] == "0" and r["same_data"] == "yes"]
        return statistics.median(good) if good else None

    size = "%d MiB" % args.size if args.size < 1024 else "%g GiB" % (args.size / 1024)
    lines = ["Measured by `%s` on %s." % (args.command, args.machine), "",
             "| downloader | case | wall | CPU (user+sys) | peak RSS | rate | runs ok | load (1 min) |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    order = sorted(groups, key=lambda k: (list(CASES).index(k[0]), ["piecemeal", "libtorrent", "aria2"].index(k[1])))
    for case, who in order:
        rows = groups[(case, who)]
        ok = sum(1 for r in rows if r["exit"] == "0" and r["same_data"] == "yes")
        wall, cpu, rss = (median(k, case, who) for k in ("wall_s", "cpu_s", "peak_rss_mib"))
        loads = sorted(float(r["load_1m"]) for r in rows if r.get("load_1m"))
        load = "%.1f–%.1f" % (loads[0], loads[-1]) if loads else ""
        if wall is None:
            lines.append("| %s | %s | failed | | | | 0 of %d | %s |" % (who, CASES[case], len(rows), load))
            continue
        lines.append("| %s | %s | %.2f s | %.2f s | %.0f MiB | %.0f MiB/s | %d of %d | %s |" % (
            who, CASES[case], wall, cpu, rss, args.size / wall, ok, len(rows), load))
    lines += ["", "Medians of %s; %s, every download compared with the source byte for byte." % (
        "the runs" if not runs else "%d run(s) each" % max(len(v) for v in groups.values()), size)]

    # The targets of issue 19, as ratios taken in this run.
    one = "one-seeder-1m"
    pm, lt, ar = (median("wall_s", one, w) for w in ("piecemeal", "libtorrent", "aria2"))
    pm_cpu, lt_cpu = median("cpu_s", one, "piecemeal"), median("cpu_s", one, "libtorrent")
    rss1, rss4 = median("peak_rss_mib", one, "piecemeal"), median("peak_rss_mib", "one-seeder-4m", "piecemeal")
    two = median("wall_s", "two-seeders-1m", "piecemeal")
    first = [float(x) for x in args.first_request.split()]
    targets = [("| target | measured | met |", None), ("| --- | --- | --- |", None)]

    def row(target, value, met):
        targets.append(("| %s | %s | %s |" % (target, value, "yes" if met else "**no**"), None))

    if pm and lt:
        row("wall ≤ 1.0× libtorrent's (goal 0.8×)", "%.2f×" % (pm / lt), pm <= lt)
    if pm and ar:
        row("wall ≤ 0.6× aria2's", "%.2f×" % (pm / ar), pm <= 0.6 * ar)
    if pm_cpu and lt_cpu:
        row("CPU ≤ 1.5× libtorrent's", "%.2f×" % (pm_cpu / lt_cpu), pm_cpu <= 1.5 * lt_cpu)
    if rss1:
        row("peak RSS ≤ 256 MiB, 1 MiB pieces", "%.0f MiB" % rss1, rss1 <= 256)
    if rss4:
        row("peak RSS ≤ 256 MiB, 4 MiB pieces", "%.0f MiB" % rss4, rss4 <= 256)
    if two and pm and lt:
        fastest_alone = pm  # Piecemeal from the faster seeder (libtorrent) alone
        row("two seeders faster than the faster one (libtorrent) alone", "%.2f s against %.2f s" % (two, fastest_alone),
            two < fastest_alone)
    if first:
        m = statistics.median(first)
        row("first request within 0.5 s of start", "%.2f s (median of %d)" % (m, len(first)), m <= 0.5)
    lines += ["", "Against the targets of issue 19 (ratios of medians in this run):", ""]
    lines += [t for t, _ in targets]
    lines.append("")
    lines.append("![download rate over time](img/11-rates.svg)")
    open(args.out + "/results.md", "w").write("\n".join(lines) + "\n")

    # rates.svg: the median run of each downloader.
    samples = defaultdict(list)
    for row_ in csv.DictReader(open(args.rates_csv)):
        samples[row_["label"]].append((float(row_["seconds"]), int(row_["bytes"])))
    series = []
    for (case, who), name in [((one, "piecemeal"), "piecemeal"), ((one, "libtorrent"), "libtorrent"),
                              ((one, "aria2"), "aria2"),
                              (("two-seeders-1m", "piecemeal"), "piecemeal, 2 seeders"),
                              (("one-seeder-4m", "piecemeal"), "piecemeal, 4 MiB pieces")]:
        rows = [r for r in groups.get((case, who), []) if r["exit"] == "0"]
        if not rows:
            continue
        rows.sort(key=lambda r: float(r["wall_s"]))
        chosen = rows[len(rows) // 2]
        points = samples.get("%s/%s/%s" % (case, who, chosen["run"]), [])
        series.append((name, rates(points)))
    open(args.out + "/rates.svg", "w").write(svg(series, size))


def rates(points, window=0.5):
    """(seconds, MiB/s) from (seconds, bytes): the bytes gained over the last `window` seconds."""
    out, j = [], 0
    for i, (t, b) in enumerate(points):
        while points[j][0] < t - window:
            j += 1
        t0, b0 = points[j]
        if t > t0:
            out.append((t, max(0, b - b0) / (t - t0) / 2 ** 20))
    return out


def svg(series, size):
    width, height, left, right, top, bottom = 760, 380, 60, 190, 30, 45
    t_max = max([t for _, pts in series for t, _ in pts] + [1])
    r_max = max([r for _, pts in series for _, r in pts] + [1])
    t_step = nice_step(t_max)
    r_step = nice_step(r_max)
    t_max = t_step * int(t_max / t_step + 1)
    r_max = r_step * int(r_max / r_step + 1)
    plot_w, plot_h = width - left - right, height - top - bottom
    x = lambda t: left + t / t_max * plot_w
    y = lambda r: top + plot_h - r / r_max * plot_h
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
             'font-family="sans-serif" font-size="12">' % (width, height, width, height),
             '<rect width="100%" height="100%" fill="white"/>',
             '<text x="%d" y="18" font-size="14">Download rate of %s from loopback seeders (bytes on disk, 0.5 s window)</text>'
             % (left, size)]
    for i in range(int(t_max / t_step) + 1):
        t = i * t_step
        parts.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>' % (x(t), top, x(t), top + plot_h))
        parts.append('<text x="%.1f" y="%d" text-anchor="middle">%g</text>' % (x(t), top + plot_h + 16, t))
    for i in range(int(r_max / r_step) + 1):
        r = i * r_step
        parts.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>' % (left, y(r), left + plot_w, y(r)))
        parts.append('<text x="%d" y="%.1f" text-anchor="end">%g</text>' % (left - 6, y(r) + 4, r))
    parts.append('<text x="%d" y="%d" text-anchor="middle">seconds since start</text>' % (left + plot_w / 2, height - 8))
    parts.append('<text x="14" y="%d" transform="rotate(-90 14 %d)" text-anchor="middle">MiB/s</text>'
                 % (top + plot_h / 2, top + plot_h / 2))
    parts.append('<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#444"/>' % (left, top, plot_w, plot_h))
    for k, (name, pts) in enumerate(series):
        colour = COLOURS.get(name, "#000")
        if pts:
            path = " ".join("%.1f,%.1f" % (x(t), y(r)) for t, r in pts)
            parts.append('<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>' % (colour, path))
        ly = top + 10 + 20 * k
        parts.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="3"/>'
                     % (left + plot_w + 12, ly, left + plot_w + 32, ly, colour))
        parts.append('<text x="%d" y="%d">%s</text>' % (left + plot_w + 38, ly + 4, name))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def nice_step(span):
    for step in (0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000):
        if span / step <= 8:
            return step
    return 5000


if __name__ == "__main__":
    main()
