"""Draws the site's icon: templates/static/favicon.svg, favicon.ico (16 and 32 px) and
apple-touch-icon.png (180 px), from one list of shapes so the three never disagree.

Run it after changing a shape or colour: `.venv/bin/python scripts/favicon.py`. The files are
committed; the build only publishes them (builder/assets.py). The icon is three rising bars, the
figures a briefing reports, in the masthead's colours.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw

STATIC = Path(__file__).resolve().parents[1] / "templates" / "static"
GRID = 32  # the SVG's view box; raster sizes scale it
BACKGROUND = "#1c2430"  # --ink, the masthead
CORNER = 6
# (x, y, width, height, colour) on the 32-unit grid: two pale bars and a red one, rising.
BARS = [
    (5, 17, 6, 9, "#fbfaf7"),
    (13, 12, 6, 14, "#fbfaf7"),
    (21, 6, 6, 20, "#e2574c"),
]
SUPERSAMPLE = 8  # drawn this many times larger, then reduced: smooth edges at 16 px


def svg() -> str:
    bars = "".join(
        f'<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{c}"/>' for x, y, w, h, c in BARS
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {GRID} {GRID}">'
        f'<rect width="{GRID}" height="{GRID}" rx="{CORNER}" fill="{BACKGROUND}"/>{bars}</svg>\n'
    )


def raster(size: int, corner: bool = True) -> Image.Image:
    scale = size * SUPERSAMPLE / GRID
    big = Image.new("RGBA", (size * SUPERSAMPLE,) * 2, (0, 0, 0, 0))
    draw = ImageDraw.Draw(big)
    edge = size * SUPERSAMPLE - 1
    # Apple rounds the touch icon itself, so it gets square corners.
    draw.rounded_rectangle((0, 0, edge, edge), radius=CORNER * scale if corner else 0,
                           fill=BACKGROUND)
    for x, y, w, h, colour in BARS:
        draw.rectangle((x * scale, y * scale, (x + w) * scale - 1, (y + h) * scale - 1),
                       fill=colour)
    return big.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    (STATIC / "favicon.svg").write_text(svg(), encoding="utf-8")
    ico = io.BytesIO()
    raster(32).save(ico, format="ICO", sizes=[(16, 16), (32, 32)])
    (STATIC / "favicon.ico").write_bytes(ico.getvalue())
    touch = io.BytesIO()
    raster(180, corner=False).convert("RGB").save(touch, format="PNG", optimize=True)
    (STATIC / "apple-touch-icon.png").write_bytes(touch.getvalue())


if __name__ == "__main__":
    main()
