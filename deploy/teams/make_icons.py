"""Draw the two Teams app icons (a policy page with quoted lines) as PNGs, standard library only.

    uv run python deploy/teams/make_icons.py      # rewrites color.png and outline.png here

Teams wants color.png 192x192 in full colour and outline.png 32x32 in white on transparent.
"""
from __future__ import annotations

import struct
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ACCENT = (0x1F, 0x5F, 0x8B, 255)  # also the manifest's accentColor
WHITE = (255, 255, 255, 255)
CLEAR = (0, 0, 0, 0)
Pixel = tuple[int, int, int, int]


def canvas(size: int, fill: Pixel) -> list[list[Pixel]]:
    return [[fill] * size for _ in range(size)]


def rect(image: list[list[Pixel]], x0: int, y0: int, x1: int, y1: int, colour: Pixel) -> None:
    """Fill the half-open box [x0, x1) x [y0, y1)."""
    for y in range(y0, y1):
        image[y][x0:x1] = [colour] * (x1 - x0)


def png(image: list[list[Pixel]]) -> bytes:
    """An 8-bit RGBA PNG, each row with filter type 0 (none)."""
    height, width = len(image), len(image[0])
    raw = b"".join(b"\x00" + bytes(channel for pixel in row for channel in pixel) for row in image)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


def color_icon() -> list[list[Pixel]]:
    image = canvas(192, ACCENT)
    rect(image, 52, 32, 140, 160, WHITE)  # the page
    for top, right in ((56, 120), (76, 124), (96, 112), (116, 124), (136, 100)):
        rect(image, 66, top, right, top + 8, ACCENT)  # its lines of text
    rect(image, 56, 56, 60, 108, ACCENT)  # a quote bar beside the quoted lines
    return image


def outline_icon() -> list[list[Pixel]]:
    image = canvas(32, CLEAR)
    rect(image, 8, 4, 24, 6, WHITE)  # page border, 2 px
    rect(image, 8, 26, 24, 28, WHITE)
    rect(image, 8, 4, 10, 28, WHITE)
    rect(image, 22, 4, 24, 28, WHITE)
    for top in (10, 15, 20):
        rect(image, 13, top, 20, top + 2, WHITE)
    return image


def main() -> None:
    (HERE / "color.png").write_bytes(png(color_icon()))
    (HERE / "outline.png").write_bytes(png(outline_icon()))
    print(f"wrote {HERE / 'color.png'} and {HERE / 'outline.png'}")


if __name__ == "__main__":
    main()
