"""Charts as server-side SVG: no JavaScript, nothing to vendor or build, allowed by the strict
Content-Security-Policy (no inline script, colours as SVG attributes, not style), and the
same picture in every browser, in a screenshot and with JavaScript off. Each chart is an
image with a title for assistive technology; the page puts the full table under it.

``lines(labels, [Line(...)], title=…)`` draws one or more series over the same x labels,
with an optional shaded band (a forecast's range); ``bars`` draws one series as columns;
``spark`` is a tiny line for the dashboard. Missing values (None) break a line.
"""
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 14, 34
COLORS = ("#2563eb", "#16a34a", "#d97706", "#9333ea", "#dc2626")


@dataclass
class Line:
    name: str
    values: list
    color: str = ""
    band: tuple[list, list] | None = None  # (low, high) per label


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    step = 10 ** len(str(int(value))) / 10
    for factor in (1, 2, 2.5, 5, 10):
        if value <= step * factor:
            return step * factor
    return value


def _frame(title: str, top: float, fmt) -> list[str]:
    inner_h = HEIGHT - TOP - BOTTOM
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>"]
    for share in (0, 0.5, 1):
        y = TOP + inner_h * (1 - share)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
                     f'stroke="#e5e7eb" stroke-width="1"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
                     f'fill="#6b7280">{escape(fmt(top * share))}</text>')
    return parts


def _x(index: int, count: int) -> float:
    inner_w = WIDTH - LEFT - RIGHT
    return LEFT + (inner_w * (index + 0.5) / count if count else 0)


def _y(value: float, top: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / top)


def _x_labels(labels: list[str]) -> list[str]:
    count = len(labels)
    if not count:
        return []
    picks = sorted({0, count // 2, count - 1}) if count > 2 else list(range(count))
    return [f'<text x="{_x(i, count):.1f}" y="{HEIGHT - 12}" text-anchor="middle" '
            f'font-size="12" fill="#6b7280">{escape(labels[i])}</text>' for i in picks]


def _legend(lines: list[Line]) -> list[str]:
    parts, x = [], LEFT
    for line in lines:
        parts.append(f'<rect x="{x}" y="2" width="10" height="10" fill="{line.color}"/>')
        parts.append(f'<text x="{x + 14}" y="11" font-size="12" fill="#374151">'
                     f'{escape(line.name)}</text>')
        x += 24 + 7 * len(line.name)
    return parts


def _plain(value: float) -> str:
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


def lines(labels: list[str], series: list[Line], *, title: str, fmt=_plain) -> Markup:
    for n, line in enumerate(series):
        line.color = line.color or COLORS[n % len(COLORS)]
    values = [v for line in series for v in line.values if v is not None]
    values += [v for line in series if line.band for v in line.band[1] if v is not None]
    top, count = _nice_max(max(values, default=0)), len(labels)
    parts = _frame(title, top, fmt)
    for line in series:
        if line.band:
            low, high = line.band
            upper = [f"{_x(i, count):.1f},{_y(v, top):.1f}" for i, v in enumerate(high)]
            lower = [f"{_x(i, count):.1f},{_y(v, top):.1f}" for i, v in enumerate(low)][::-1]
            parts.append(f'<polygon points="{" ".join(upper + lower)}" fill="{line.color}" '
                         f'fill-opacity="0.15"/>')
        run: list[str] = []
        for i, value in enumerate(line.values + [None]):
            if value is None:
                if len(run) == 1:
                    x, y = run[0].split(",")
                    parts.append(f'<circle cx="{x}" cy="{y}" r="3" fill="{line.color}"/>')
                elif run:
                    parts.append(f'<polyline points="{" ".join(run)}" fill="none" '
                                 f'stroke="{line.color}" stroke-width="2"/>')
                run = []
            else:
                run.append(f"{_x(i, count):.1f},{_y(value, top):.1f}")
    parts += _x_labels(labels) + _legend(series) + ["</svg>"]
    return Markup("".join(parts))


def bars(labels: list[str], values: list, *, title: str, name: str, fmt=_plain) -> Markup:
    top, count = _nice_max(max((v for v in values if v is not None), default=0)), len(labels)
    parts = _frame(title, top, fmt)
    width = max(1.0, (WIDTH - LEFT - RIGHT) / max(count, 1) * 0.7)
    for i, value in enumerate(values):
        if value:
            y = _y(value, top)
            parts.append(f'<rect x="{_x(i, count) - width / 2:.1f}" y="{y:.1f}" '
                         f'width="{width:.1f}" height="{HEIGHT - BOTTOM - y:.1f}" '
                         f'fill="{COLORS[0]}"/>')
    parts += _x_labels(labels) + _legend([Line(name, [], COLORS[0])]) + ["</svg>"]
    return Markup("".join(parts))


def spark(values: list[int], *, title: str, color: str = COLORS[0]) -> Markup:
    width, height = 160, 36
    top, count = max(max(values, default=0), 1), len(values)
    points = " ".join(f"{(width - 4) * i / max(count - 1, 1) + 2:.1f},"
                      f"{height - 3 - (height - 6) * v / top:.1f}" for i, v in enumerate(values))
    return Markup(f'<svg class="spark" viewBox="0 0 {width} {height}" role="img" '
                  f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}">'
                  f"<title>{escape(title)}</title><polyline points=\"{points}\" fill=\"none\" "
                  f'stroke="{color}" stroke-width="2"/></svg>')
