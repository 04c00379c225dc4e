"""A trend chart as SVG drawn on the server: no script, no CDN, readable printed in black and white.

The target is a dashed line; each period's value is a point whose shape says its status (filled
circle met, triangle at risk, cross not met), so colour is a help, never the only signal.
"""
from __future__ import annotations

from html import escape

W, H, LEFT, RIGHT, TOP, BOTTOM = 560, 170, 64, 12, 12, 34


def _marker(status: str, x: float, y: float) -> str:
    if status == "met":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="#1b5e20" stroke="#000" stroke-width="1"/>'
    if status == "at_risk":
        return (f'<polygon points="{x:.1f},{y - 6:.1f} {x - 5.5:.1f},{y + 4:.1f} {x + 5.5:.1f},{y + 4:.1f}" '
                f'fill="#fff" stroke="#000" stroke-width="1.5"/>')
    if status == "not_met":
        return (f'<path d="M{x - 5:.1f},{y - 5:.1f} L{x + 5:.1f},{y + 5:.1f} M{x - 5:.1f},{y + 5:.1f} '
                f'L{x + 5:.1f},{y - 5:.1f}" stroke="#b71c1c" stroke-width="2.5"/>')
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#fff" stroke="#555" stroke-width="1"/>'


def _fmt(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def trend_svg(points, target: float, title: str, labels=None) -> str:
    """points: [(period key, value or None, status)]; labels: {value: text} for a rating's axis."""
    values = [v for _k, v, _s in points if v is not None] + [target]
    if labels:  # a rating: one tick per level of the scale, worst at the bottom
        lo, hi = min(labels) - 0.4, max(labels) + 0.4
        ticks = sorted(labels)
    else:       # a number: the axis hugs the values, so a 97.8 against 100 is visible
        lo, hi = min(values), max(values)
        pad = max((hi - lo) * 0.15, 1.0)
        lo, hi = (lo - pad if lo - pad > 0 or lo < 0 else 0.0), hi + pad
        ticks = [lo + (hi - lo) * f for f in (0.1, 0.5, 0.9)]
    n = max(len(points), 1)
    step = (W - LEFT - RIGHT) / n

    def x_of(i):
        return LEFT + step * (i + 0.5)

    def y_of(v):
        return TOP + (H - TOP - BOTTOM) * (1 - (v - lo) / (hi - lo))

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="100%" role="img" '
           f'class="trend-chart" aria-label="{escape(title)}"><title>{escape(title)}</title>',
           f'<rect x="{LEFT}" y="{TOP}" width="{W - LEFT - RIGHT}" height="{H - TOP - BOTTOM}" fill="#fff" '
           f'stroke="#999" stroke-width="0.5"/>']
    for tick in ticks:
        text = labels.get(tick) if labels else _fmt(tick)
        out.append(f'<text x="{LEFT - 4}" y="{y_of(tick) + 3:.1f}" font-size="9" text-anchor="end" '
                   f'font-family="sans-serif">{escape(str(text))}</text>')
        out.append(f'<line x1="{LEFT}" y1="{y_of(tick):.1f}" x2="{W - RIGHT}" y2="{y_of(tick):.1f}" stroke="#ddd" '
                   f'stroke-width="0.5"/>')
    ty = y_of(target)
    out.append(f'<line x1="{LEFT}" y1="{ty:.1f}" x2="{W - RIGHT}" y2="{ty:.1f}" stroke="#000" stroke-width="1" '
               f'stroke-dasharray="5 3"/>')
    path = []
    for i, (key, value, _status) in enumerate(points):
        short = key.split("-", 1)[1] if "-" in key else key
        out.append(f'<text x="{x_of(i):.1f}" y="{H - BOTTOM + 13}" font-size="9" text-anchor="middle" '
                   f'font-family="sans-serif">{escape(short)}</text>')
        if value is not None:
            path.append(f'{"M" if not path else "L"}{x_of(i):.1f},{y_of(value):.1f}')
    if path:
        out.append(f'<path d="{" ".join(path)}" fill="none" stroke="#333" stroke-width="1.2"/>')
    for i, (_key, value, status) in enumerate(points):
        if value is not None:
            out.append(_marker(status, x_of(i), y_of(value)))
    out.append("</svg>")
    return "".join(out)
