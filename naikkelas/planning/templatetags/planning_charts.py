"""Charts drawn as inline SVG, so the page and the PDF (WeasyPrint draws SVG) show the same picture with no
script and no network."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()
COLOURS = {"hijau": "#2e7d32", "kuning": "#f9a825", "merah": "#c62828"}
ROW, LABEL, SCALE = 18, 300, 300  # 300 px for 150 % of the target


@register.simple_tag
def chart_bars(lines) -> str:
    """One bar per indicator: its achievement (% of target), coloured by its light; the dashed line is 100 %."""
    height = ROW * max(len(lines), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{LABEL + SCALE + 60}" height="{height}" '
        f'viewBox="0 0 {LABEL + SCALE + 60} {height}" role="img" '
        'aria-label="capaian">',
        f'<line x1="{LABEL}" y1="0" x2="{LABEL}" y2="{height}" stroke="#999"/>',
        f'<line x1="{LABEL + SCALE * 2 // 3}" y1="0" x2="{LABEL + SCALE * 2 // 3}" y2="{height}" stroke="#999" '
        'stroke-dasharray="3,3"/>',
    ]
    for n, line in enumerate(lines):
        y = n * ROW
        parts.append(f'<text x="0" y="{y + 12}" font-size="9">{escape(line.target.name[:48])}</text>')
        if line.achievement is not None:
            width = max(0.0, min(float(line.achievement), 150.0)) * SCALE / 150
            colour = COLOURS.get(line.light, "#888")
            parts.append(f'<rect x="{LABEL}" y="{y + 3}" height="11" width="{width:.1f}" fill="{colour}"/>')
            parts.append(
                f'<text x="{LABEL + width + 4:.1f}" y="{y + 12}" font-size="9">{line.achievement:.0f} %</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped above


@register.simple_tag
def sparkline(points) -> str:
    """A small line of a value over the quarters: points are (day, Value)."""
    values = [float(v.value) for _day, v in points if v is not None and v.value is not None]
    if len(values) < 2:
        return ""
    low, high = min(values), max(values)
    span = (high - low) or 1
    step = 80 / (len(values) - 1)
    coords = " ".join(f"{i * step:.1f},{18 - 16 * (v - low) / span:.1f}" for i, v in enumerate(values))
    return mark_safe(  # noqa: S308 - numbers only
        f'<svg xmlns="http://www.w3.org/2000/svg" width="84" height="20" class="spark"><polyline points="{coords}" '
        'fill="none" stroke="#1565c0" stroke-width="1.5"/></svg>'
    )
