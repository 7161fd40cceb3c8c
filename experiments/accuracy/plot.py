"""The plot of docs/accuracy.md as a hand-written SVG (no plotting library on the machine): one
panel per technology, one horizontal bar per configuration that ran, its length the mean top-1
over the fault seeds, a black tick at the worst seed, the cells needed written beside it."""

from xml.sax.saxutils import escape

COLOURS = {"dense": "#4e79a7", "cluster": "#59a14f", "bitmask": "#e15759", "csr": "#f28e2b"}
ROW = 13           # px per bar
LABEL = 150        # px of row labels left of the bars
BAR = 260          # px for 0..100% top-1
CELLS = 70         # px right of the bars for the cell count
TOP = 44           # px above the first bar: title, axis labels
PANEL = LABEL + BAR + CELLS + 20


def _text(x, y, s, anchor="start", size=10, weight="normal"):
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'font-weight="{weight}">{escape(s)}</text>')


def _panel(x0, tech, entries):
    out = [_text(x0 + LABEL + BAR / 2, 14, f"MLC {tech.upper()}", "middle", 12, "bold"),
           _text(x0 + LABEL + BAR + 4, TOP - 6, "cells", size=9)]
    bottom = TOP + ROW * len(entries)
    for pct in range(0, 101, 20):
        x = x0 + LABEL + BAR * pct / 100
        out.append(f'<line x1="{x:.1f}" y1="{TOP - 4}" x2="{x:.1f}" y2="{bottom}" '
                   'stroke="#ddd" stroke-width="1"/>')
        out.append(_text(x, TOP - 8, f"{pct}%", "middle", 9))
    for n, ((_, enc, prot, bv, bm), s) in enumerate(entries):
        y = TOP + ROW * n
        out.append(_text(x0 + LABEL - 4, y + ROW - 3, f"{enc} {prot} {bv},{bm}", "end", 9))
        width = BAR * s["mean"]
        out.append(f'<rect x="{x0 + LABEL}" y="{y + 1}" width="{width:.1f}" height="{ROW - 2}" '
                   f'fill="{COLOURS[enc]}"/>')
        worst = x0 + LABEL + BAR * s["worst"]
        out.append(f'<line x1="{worst:.1f}" y1="{y}" x2="{worst:.1f}" y2="{y + ROW}" '
                   'stroke="black" stroke-width="2"/>')
        out.append(_text(x0 + LABEL + BAR + 4, y + ROW - 3, str(s["cells"]), size=9))
    return out


def write_svg(path, table, technologies):
    """`table`: (config, summary or None for a gap) as run.py's summarise gives it."""
    panels = [[(c, s) for c, s in table if c[0] == tech and s is not None]
              for tech in technologies]
    rows = max(len(p) for p in panels)
    height = TOP + ROW * rows + 50
    width = PANEL * len(panels)
    body = []
    for k, (tech, entries) in enumerate(zip(technologies, panels)):
        body += _panel(PANEL * k, tech, entries)
    legend_y = TOP + ROW * rows + 18
    x = LABEL
    for enc, colour in COLOURS.items():
        body.append(f'<rect x="{x}" y="{legend_y - 9}" width="10" height="10" fill="{colour}"/>')
        body.append(_text(x + 14, legend_y, enc))
        x += 80
    body.append(f'<line x1="{x}" y1="{legend_y - 10}" x2="{x}" y2="{legend_y + 1}" '
                'stroke="black" stroke-width="2"/>')
    body.append(_text(x + 6, legend_y, "worst of the fault seeds"))
    body.append(_text(LABEL, legend_y + 16, "bar: top-1 accuracy, mean of the fault seeds; "
                      "labels: encoding, protection, bits per cell (values, metadata)"))
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif">',
           f'<rect width="{width}" height="{height}" fill="white"/>', *body, "</svg>"]
    with open(path, "w") as f:
        f.write("\n".join(svg) + "\n")
