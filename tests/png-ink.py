#!/usr/bin/python3
"""Is a PNG screenshot not blank? Prints True when it has more than 50
colours and ink (not white) on more than 2% of it: a page that rendered.
Usage: png-ink.py FILE (the PNG decoded here: no imaging library needed)."""
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n"
pos, idat = 8, b""
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    chunk = data[pos + 8:pos + 8 + n]
    pos += 12 + n
    if kind == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", chunk[:10])
    elif kind == b"IDAT":
        idat += chunk
raw, bpp = zlib.decompress(idat), {6: 4, 2: 3}[ctype]
stride, prev, i, colours, ink, seen = w * bpp, bytearray(w * bpp), 0, set(), 0, 0
for y in range(h):
    f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
    i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b = prev[x]
        c = prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + ((a + b) >> 1)) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    prev = line
    if y % 3 == 0:
        for k in range(0, stride, bpp * 3):
            px = bytes(line[k:k + 3])
            colours.add(px)
            seen += 1
            ink += px != b"\xff\xff\xff"
print(len(colours) > 50 and ink * 100 > seen * 2)
