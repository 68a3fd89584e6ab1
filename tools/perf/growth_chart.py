#!/usr/bin/env python3
"""Draws docs/img/growth.svg from docs/img/growth.tsv: wall time and peak RSS of
`hedui check` against households, each with its straight line and a ±10 % band around
it, so a point off the line shows at a glance.

The line is fitted to relative errors (least squares weighted by 1/y²), because the aim
is stated in percent: a plain least-squares line is set by the largest points, and judges
the 50k point by its distance from a line drawn for 800k.

The TSV has a header and one row per run: households, wall seconds, peak RSS in KB,
CPU percent. Usage: python3 tools/perf/growth_chart.py [TSV] [SVG]
"""
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TSV = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs/img/growth.tsv"
SVG = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "docs/img/growth.svg"


def fit(xs, ys):
    """Line y = a + b x minimising the squared relative errors ((y - line) / y)²."""
    ws = [1 / y**2 for y in ys]
    total = sum(ws)
    mx = sum(w * x for w, x in zip(ws, xs)) / total
    my = sum(w * y for w, y in zip(ws, ys)) / total
    sxx = sum(w * (x - mx) ** 2 for w, x in zip(ws, xs))
    b = sum(w * (x - mx) * (y - my) for w, x, y in zip(ws, xs, ys)) / sxx
    return my - b * mx, b


def panel(x0, title, unit, xs, ys):
    w, h, pad = 400, 300, 50
    xmax = max(xs) * 1.05
    ymax = max(ys) * 1.25
    a, b = fit(xs, ys)

    def px(x):
        return x0 + pad + (w - pad - 10) * x / xmax

    def py(y):
        return 20 + (h - pad - 20) * (1 - y / ymax)

    out = [f'<text x="{x0 + w / 2}" y="14" text-anchor="middle" font-weight="bold">{title}</text>']
    # Axes and ticks.
    out.append(f'<line x1="{px(0)}" y1="{py(0)}" x2="{px(xmax)}" y2="{py(0)}" stroke="#333"/>')
    out.append(f'<line x1="{px(0)}" y1="{py(0)}" x2="{px(0)}" y2="{py(ymax)}" stroke="#333"/>')
    for i in range(5):
        y = ymax * i / 4
        label = f"{y:.0f}" if ymax >= 20 else f"{y:.1f}"
        out.append(f'<text x="{px(0) - 4}" y="{py(y) + 4}" text-anchor="end" font-size="11">{label}</text>')
        out.append(f'<line x1="{px(0)}" y1="{py(y)}" x2="{px(xmax)}" y2="{py(y)}" stroke="#eee"/>')
    step = 10 ** (len(str(int(xmax))) - 1)
    for x in range(0, int(xmax) + 1, step * (2 if xmax / step > 5 else 1)):
        out.append(f'<text x="{px(x)}" y="{py(0) + 14}" text-anchor="middle" font-size="11">{x // 1000}k</text>')
    out.append(f'<text x="{x0 + w / 2}" y="{h - 8}" text-anchor="middle" font-size="12">households</text>')
    out.append(f'<text x="{x0 + 12}" y="{py(ymax) - 6}" font-size="12">{unit}</text>')
    # The fitted line with its ±10 % band.
    lo = [(x, (a + b * x) * 0.9) for x in (xs[0], xs[-1])]
    hi = [(x, (a + b * x) * 1.1) for x in (xs[-1], xs[0])]
    band = " ".join(f"{px(x)},{py(y)}" for x, y in lo + hi)
    out.append(f'<polygon points="{band}" fill="#4a90d9" fill-opacity="0.15"/>')
    out.append(
        f'<line x1="{px(xs[0])}" y1="{py(a + b * xs[0])}" x2="{px(xs[-1])}" '
        f'y2="{py(a + b * xs[-1])}" stroke="#4a90d9" stroke-dasharray="4 3"/>'
    )
    worst = 0.0
    for x, y in zip(xs, ys):
        line = a + b * x
        off = (y - line) / line
        worst = max(worst, abs(off))
        colour = "#c0392b" if abs(off) > 0.10 else "#222"
        out.append(f'<circle cx="{px(x)}" cy="{py(y)}" r="4" fill="{colour}"/>')
        anchor = "end" if x == xs[-1] else "start"
        dx = -6 if x == xs[-1] else 6
        out.append(
            f'<text x="{px(x) + dx}" y="{py(y) - 6}" text-anchor="{anchor}" font-size="10">'
            f"{y:.1f} ({off:+.0%})</text>"
        )
    out.append(
        f'<text x="{x0 + pad + 4}" y="{py(ymax) + 14}" font-size="11">'
        f'line {a:.2f} + {b * 1000:.3f}/1k households; worst {worst:.1%} off</text>'
    )
    return out, worst


def main():
    with TSV.open() as f:
        rows = sorted(
            (int(r["households"]), float(r["wall_s"]), int(r["peak_rss_kb"]))
            for r in csv.DictReader(f, delimiter="\t")
        )
    xs = [r[0] for r in rows]
    time_panel, worst_t = panel(0, "hedui check: wall time", "s", xs, [r[1] for r in rows])
    mem_panel, worst_m = panel(450, "hedui check: peak RSS", "GiB", xs, [r[2] / 2**20 for r in rows])
    svg = [
        '<svg xmlns="http://www.w3.org/2000/svg" width="860" height="300" '
        'font-family="sans-serif" font-size="12">',
        '<rect width="100%" height="100%" fill="white"/>',
        *time_panel,
        *mem_panel,
        "</svg>",
    ]
    SVG.write_text("\n".join(svg) + "\n")
    print(f"{SVG}: time worst {worst_t:.1%}, memory worst {worst_m:.1%} off the line")


if __name__ == "__main__":
    main()
