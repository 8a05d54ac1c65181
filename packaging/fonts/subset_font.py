#!/usr/bin/env python3
"""Build assets/fonts/NotoSansSC-FrontDesk.ttf, the CJK font bundled into frontdesk.

Source font
    NotoSansSC_400Regular.ttf (Noto Sans SC, Regular 400, font version 2.004,
    TrueType outlines) from the npm package @expo-google-fonts/noto-sans-sc,
    version 0.4.3, file path inside the package: 400Regular/NotoSansSC_400Regular.ttf.
    Licence: SIL Open Font License 1.1 (see assets/fonts/OFL.txt).

The subset keeps every character encodable in GBK plus ASCII, Latin-1, general
punctuation, CJK symbols & punctuation, fullwidth forms, arrows, geometric
shapes and a few check marks. Hinting, vertical metrics and all OpenType
layout features except 'kern' are dropped; the output is a plain TrueType
(glyf) font that ttf-parser / ab_glyph (egui) can read.

How to run (needs Python 3, fontTools, npm; nothing is written inside the repo
except the output font):

    pip install fonttools
    work="$(mktemp -d)" && cd "$work"
    npm pack @expo-google-fonts/noto-sans-sc@0.4.3
    tar xzf expo-google-fonts-noto-sans-sc-0.4.3.tgz
    python3 <repo>/packaging/fonts/subset_font.py \\
        "$work/package/400Regular/NotoSansSC_400Regular.ttf"

An optional second argument overrides the output path (default:
<repo>/assets/fonts/NotoSansSC-FrontDesk.ttf).
"""

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUTPUT = REPO_ROOT / "assets" / "fonts" / "NotoSansSC-FrontDesk.ttf"

# Characters that must be in the result; checked after writing.
REQUIRED = "堃喆昇王先生您好¥"


def gbk_codepoints():
    """Every character that a 2-byte GBK sequence 0x8140..0xFEFE decodes to."""
    cps = set()
    for hi in range(0x81, 0xFF):
        for lo in range(0x40, 0xFF):
            try:
                ch = bytes((hi, lo)).decode("gbk")
            except UnicodeDecodeError:
                continue
            cps.update(ord(c) for c in ch)
    return cps


def wanted_codepoints():
    cps = gbk_codepoints()
    ranges = [
        (0x0020, 0x007E),  # ASCII printable
        (0x00A0, 0x00FF),  # Latin-1 supplement (includes ¥ U+00A5)
        (0x2000, 0x206F),  # General punctuation
        (0x2190, 0x21FF),  # Arrows
        (0x25A0, 0x25FF),  # Geometric shapes
        (0x3000, 0x303F),  # CJK symbols & punctuation
        (0xFF00, 0xFFEF),  # Halfwidth & fullwidth forms (includes ￥ U+FFE5)
    ]
    for lo, hi in ranges:
        cps.update(range(lo, hi + 1))
    cps.update({0x00A5, 0x20AC, 0x2713, 0x2714, 0x2717, 0x2718})  # ¥ € ✓ ✔ ✗ ✘
    return cps


def build(src, dst):
    options = subset.Options()
    options.layout_features = ["kern"]
    options.hinting = False
    options.notdef_outline = True  # missing characters render as a box
    options.glyph_names = False  # post table format 3
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]
    options.name_languages = [0x0409]  # English (US) names only
    options.name_legacy = False
    options.drop_tables += ["BASE", "STAT", "vhea", "vmtx", "VORG", "gasp", "DSIG"]
    options.recalc_bounds = True
    options.prune_unicode_ranges = True

    font = subset.load_font(str(src), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(wanted_codepoints()))
    subsetter.subset(font)
    dst.parent.mkdir(parents=True, exist_ok=True)
    subset.save_font(font, str(dst), options)
    font.close()


def verify(dst):
    font = TTFont(str(dst))
    if font.sfntVersion != "\x00\x01\x00\x00" or "glyf" not in font:
        raise SystemExit(f"{dst}: not a TrueType (glyf) font")
    cmap = font.getBestCmap()
    missing = [c for c in REQUIRED if ord(c) not in cmap]
    if missing:
        raise SystemExit(f"{dst}: missing characters: {' '.join(missing)}")
    n_glyphs = len(font.getGlyphOrder())
    n_chars = len(cmap)
    font.close()
    return n_glyphs, n_chars


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        print(f"usage: {argv[0]} NotoSansSC_400Regular.ttf [OUTPUT.ttf]", file=sys.stderr)
        return 2
    src = Path(argv[1])
    dst = Path(argv[2]) if len(argv) == 3 else DEFAULT_OUTPUT
    build(src, dst)
    n_glyphs, n_chars = verify(dst)
    size = dst.stat().st_size
    print(f"wrote {dst}")
    print(f"size: {size} bytes ({size / 1024 / 1024:.2f} MiB)")
    print(f"glyphs: {n_glyphs}, mapped characters: {n_chars}")
    print(f"verified present: {' '.join(REQUIRED)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
