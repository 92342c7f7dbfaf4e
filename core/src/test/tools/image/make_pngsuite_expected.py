#!/usr/bin/env python3
"""Builds core/src/test/resources/image/pngsuite/expected-on-white.bin.gz from PngSuite's
reference pixels (one JSON file of flat [r, g, b, a, ...] values per image, 16-bit images at
16 bits).

Each image's pixels are composited onto white at full precision and rounded to 8-bit RGB, the
form the codec's decode stage produces. Corrupt files (names starting with "x") are left out.

Record layout, repeated until the end of the (gzip-compressed) stream, all big-endian:
  u8 name length, name (ASCII, without ".png"), u32 width, u32 height, width*height*3 bytes RGB.

Usage: make_pngsuite_expected.py PNG_DIR JSON_DIR OUTPUT_FILE
"""
import gzip
import json
import os
import struct
import sys


def ihdr(path):
    with open(path, "rb") as f:
        head = f.read(33)
    if head[12:16] != b"IHDR":
        raise ValueError(path + ": no IHDR")
    width, height, depth = struct.unpack(">IIB", head[16:25])
    return width, height, depth


def on_white(c, a, top):
    # round(255 * (c/top * a/top + (1 - a/top))) with integers, halves rounded up
    num = 255 * (c * a + top * (top - a))
    den = top * top
    return (2 * num + den) // (2 * den)


def main(png_dir, json_dir, output):
    with gzip.open(output, "wb", compresslevel=9) as out:
        for name in sorted(os.listdir(png_dir)):
            if not name.endswith(".png") or name.startswith("x"):
                continue
            stem = name[:-4]
            width, height, depth = ihdr(os.path.join(png_dir, name))
            with open(os.path.join(json_dir, stem + ".json")) as f:
                values = json.load(f)
            if len(values) != width * height * 4:
                raise ValueError(stem + ": pixel count does not match IHDR")
            top = 65535 if depth == 16 else 255
            rgb = bytearray()
            for i in range(0, len(values), 4):
                a = values[i + 3]
                rgb += bytes(on_white(values[i + k], a, top) for k in range(3))
            encoded = stem.encode("ascii")
            out.write(struct.pack(">B", len(encoded)) + encoded + struct.pack(">II", width, height))
            out.write(rgb)


if __name__ == "__main__":
    main(*sys.argv[1:4])
