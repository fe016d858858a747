#!/usr/bin/env python3
"""Pixel statistics of a PNG screenshot, with only the standard library.

Usage: png_stats.py FILE.png  ->  prints JSON: width, height, distinct colours,
the fraction of non-white pixels, and pixel counts near the report's colours
(race red, vfio blue, native orange), overall and in a region.
"""
import json
import struct
import sys
import zlib


def decode(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit(f"{path}: not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        raise SystemExit(f"{path}: unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})")
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pr) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def near(px, target, tolerance=40):
    return all(abs(p - t) <= tolerance for p, t in zip(px, target))


def main():
    width, height, bpp, rows = decode(sys.argv[1])
    colours, nonwhite = set(), 0
    targets = {"race": (220, 38, 38), "vfio": (37, 99, 235), "native": (234, 88, 12)}
    counts = {k: 0 for k in targets}
    for row in rows:
        for x in range(0, width * bpp, bpp):
            px = row[x:x + 3]
            colours.add(px)
            if px[0] < 245 or px[1] < 245 or px[2] < 245:
                nonwhite += 1
            for k, t in targets.items():
                if near(px, t):
                    counts[k] += 1
    print(json.dumps({
        "width": width, "height": height, "colours": len(colours),
        "nonwhite": round(nonwhite / float(width * height), 4), "near": counts,
    }))


if __name__ == "__main__":
    main()
