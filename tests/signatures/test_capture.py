"""Checks of a signature captured on the tablet: accepted drawings, taps, malformed PNGs and stroke data."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import math
import os
import struct
import zlib

import pytest
from PIL import Image, ImageDraw

from signatures.capture import (BLANK_IMAGE, EMPTY, INVALID_STROKES, MAX_POINTS, TOO_SMALL, UNREADABLE, CapturedSignature,
                                SignatureRejected, check_signature, decode_data_url)

INK = (20, 40, 120, 255)  # the page's dark blue pen
START = 1_764_000_000_000  # milliseconds, as Date.getTime() gives them


def wavy_points(count=60, *, x0=150.0, x1=750.0, y=200.0, amplitude=60.0):
    """A handwriting-like polyline in CSS pixels."""
    return [(x0 + (x1 - x0) * i / (count - 1), y + amplitude * math.sin(i / 3.0) * (1 - i / (2 * count)))
            for i in range(count)]


def group(points, **options):
    """One signature_pad 5 point group as toData() returns it."""
    base = {"penColor": "rgb(20, 40, 120)", "dotSize": 0, "minWidth": 1.2, "maxWidth": 3.2,
            "velocityFilterWeight": 0.7, "compositeOperation": "source-over"}
    base.update(options)
    base["points"] = [{"time": START + 16 * i, "x": x, "y": y, "pressure": 0.5} for i, (x, y) in enumerate(points)]
    return base


def drawn_png(strokes, *, size=(1200, 400), ratio=1, width=3, radius=None) -> bytes:
    """A transparent canvas with the strokes drawn at device resolution, as the browser sends it."""
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    for points in strokes:
        scaled = [(x * ratio, y * ratio) for x, y in points]
        if radius is not None or len(scaled) == 1:
            r = (radius or 2) * ratio
            for x, y in scaled:
                draw.ellipse((x - r, y - r, x + r, y + r), fill=INK)
        else:
            draw.line(scaled, fill=INK, width=width * ratio, joint="curve")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def strokes_json(*groups) -> str:
    return json.dumps(list(groups))


def png_with_size(width: int, height: int) -> bytes:
    """A real tiny PNG whose header claims another size (CRC fixed): a decompression bomb in disguise."""
    out = io.BytesIO()
    Image.new("L", (300, 100), 255).save(out, format="PNG")
    data = bytearray(out.getvalue())
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


@pytest.fixture(scope="module")
def signature():
    """A realistic signature: the PNG and the stroke data of the same wavy line."""
    points = wavy_points()
    return drawn_png([points]), strokes_json(group(points))


def rejected(message, png, strokes, **kwargs):
    with pytest.raises(SignatureRejected) as caught:
        check_signature(png, strokes, **kwargs)
    assert str(caught.value) == message


def test_realistic_signature_is_accepted_flattened_and_hashed(signature):
    png, strokes = signature
    captured = check_signature(png, strokes)
    assert isinstance(captured, CapturedSignature)
    assert (captured.width, captured.height, captured.points) == (1200, 400, 60)
    assert captured.sha256 == hashlib.sha256(captured.png).hexdigest()
    with Image.open(io.BytesIO(captured.png)) as image:
        assert image.format == "PNG" and image.mode in ("L", "RGB") and image.size == (1200, 400)
        assert image.getpixel((5, 5)) == 255  # transparent canvas became white paper
        assert image.getpixel((150, 200)) < 100  # the blue ink is dark
    assert captured.strokes == json.dumps(json.loads(strokes), separators=(",", ":"),
                                          ensure_ascii=False).encode()
    assert captured.strokes_sha256 == hashlib.sha256(captured.strokes).hexdigest()


def test_black_pen_on_transparent_canvas_and_bytes_strokes():
    # a short 3-letter scribble: loops, about 160 px wide
    points = [(500 + 4 * i + 14 * math.cos(i * 0.7), 200 - 28 * math.sin(i * 0.7)) for i in range(40)]
    image = Image.new("RGBA", (1200, 400), (0, 0, 0, 0))
    ImageDraw.Draw(image).line(points, fill=(0, 0, 0, 255), width=3)
    out = io.BytesIO()
    image.save(out, format="PNG")
    captured = check_signature(out.getvalue(), strokes_json(group(points, penColor="black")).encode())
    assert captured.points == 40


def test_initial_with_a_flourish_is_accepted():
    stem = [(300, 80 + 12 * i) for i in range(20)]  # a tall, narrow letter: high rather than wide
    flourish = [(300 + 4 * i, 310 - 3 * i) for i in range(10)]
    captured = check_signature(drawn_png([stem, flourish]), strokes_json(group(stem), group(flourish)))
    assert captured.points == 30


def test_single_tap_is_refused():
    rejected(TOO_SMALL, drawn_png([[(400, 200)]], radius=2), strokes_json(group([(400, 200)])))
    assert "zbyt mały" in TOO_SMALL


def test_short_line_is_refused():
    line = [(400, 200), (420, 204)]
    rejected(TOO_SMALL, drawn_png([line]), strokes_json(group(line)))


def test_many_points_in_a_tiny_area_are_refused():
    scribble = [(400 + 5 * math.cos(i), 200 + 5 * math.sin(i)) for i in range(40)]
    rejected(TOO_SMALL, drawn_png([scribble]), strokes_json(group(scribble)))


def test_strokes_without_ink_in_the_image_are_refused_with_their_own_message(signature):
    """Issue 7, item 9: a cleared canvas sent with a full signature's strokes is not 'a dot'."""
    _, strokes = signature
    for blank in (Image.new("RGBA", (1200, 400), (0, 0, 0, 0)), Image.new("RGB", (1200, 400), "white")):
        out = io.BytesIO()
        blank.save(out, format="PNG")
        rejected(BLANK_IMAGE, out.getvalue(), strokes)
    assert "kropk" not in BLANK_IMAGE and "pusty" in BLANK_IMAGE


def test_a_speck_of_ink_with_full_strokes_is_still_too_small(signature):
    _, strokes = signature
    rejected(TOO_SMALL, drawn_png([[(400, 200)]], radius=2), strokes)


def test_empty_strokes_are_refused(signature):
    png, _ = signature
    rejected(EMPTY, png, "[]")
    rejected(EMPTY, png, strokes_json({"points": []}))


@pytest.mark.parametrize("make", [
    lambda: _jpeg(),
    lambda: os.urandom(2000),
    lambda: b"",
    lambda: png_with_size(10000, 10000),
    lambda: png_with_size(100, 400),
    lambda: png_with_size(1200, 40),
    lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
    lambda: png_with_size(1200, 400),  # header and pixel data disagree: decoding fails
], ids=["jpeg", "random", "empty", "bomb", "narrow", "flat", "no-ihdr", "truncated"])
def test_unreadable_images_are_refused(make, signature):
    rejected(UNREADABLE, make(), signature[1])


def test_oversized_png_is_refused(signature):
    png, strokes = signature
    rejected(UNREADABLE, png + b"\x00" * (1024 * 1024), strokes)


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1200, 400), "white").save(out, format="JPEG")
    return out.getvalue()


@pytest.mark.parametrize("strokes", [
    "not json",
    '{"points": []}',
    '[[1, 2, 3]]',
    '[{"penColor": "black"}]',
    '[{"points": {"x": 1}}]',
    '[{"points": [{"x": NaN, "y": 1, "time": 1, "pressure": 0}]}]',
    '[{"points": [{"x": Infinity, "y": 1, "time": 1, "pressure": 0}]}]',
    '[{"points": [{"x": 1e999, "y": 1, "time": 1, "pressure": 0}]}]',
    '[{"points": [{"x": "1", "y": 1, "time": 1, "pressure": 0}]}]',
    '[{"points": [{"x": true, "y": 1, "time": 1, "pressure": 0}]}]',
    '[{"points": [{"x": 1, "y": 1, "time": 1}]}]',
    '[{"points": [{"x": 1, "y": null, "time": 1, "pressure": 0}]}]',
    '[{"points": [[1, 2]]}]',
    "[" * 100_000 + "]" * 100_000,
], ids=["text", "object", "list-of-lists", "no-points", "points-object", "nan", "infinity", "overflow",
        "string", "bool", "missing-pressure", "null", "point-list", "deep"])
def test_malformed_strokes_are_refused(strokes, signature):
    rejected(INVALID_STROKES, signature[0], strokes)


def test_too_many_points_groups_or_bytes_are_refused(signature):
    png, _ = signature
    # counted before each point is read: real points would hit the byte limit first
    rejected(INVALID_STROKES, png, strokes_json({"points": [{}] * (MAX_POINTS + 1)}))
    rejected(INVALID_STROKES, png, strokes_json(*[group([(400, 200)]) for _ in range(301)]))
    huge = strokes_json(group(wavy_points()), {"points": [], "padding": "x" * 600_000})
    rejected(INVALID_STROKES, png, huge)


def test_unknown_keys_are_dropped_and_long_strings_ignored(signature):
    png, _ = signature
    data = group(wavy_points(), penColor="x" * 41, onload="alert(1)", compositeOperation="źródło")
    data["points"][0]["extra"] = "ignored"
    captured = check_signature(png, json.dumps([data]))
    kept = json.loads(captured.strokes)[0]
    assert set(kept) == {"dotSize", "minWidth", "maxWidth", "velocityFilterWeight", "compositeOperation", "points"}
    assert kept["compositeOperation"] == "źródło"
    assert "źródło".encode() in captured.strokes  # ensure_ascii=False
    assert set(kept["points"][0]) == {"x", "y", "time", "pressure"}


def test_canonical_strokes_do_not_depend_on_key_order_or_spacing(signature):
    png, strokes = signature
    data = json.loads(strokes)
    reordered = [{key: data[0][key] for key in reversed(list(data[0]))}]
    reordered[0]["points"] = [dict(reversed(list(point.items()))) for point in data[0]["points"]]
    first = check_signature(png, strokes)
    second = check_signature(png, json.dumps(reordered, indent=2))
    assert first.strokes == second.strokes and first.strokes_sha256 == second.strokes_sha256


def test_pixel_ratio_two_behaves_like_ratio_one():
    big = wavy_points()
    small = wavy_points(count=15, x0=400, x1=480, amplitude=8)  # 80 CSS px: under 12 % of 1200
    for points, accepted in ((big, True), (small, False)):
        strokes = strokes_json(group(points))
        for size, ratio in (((1200, 400), 1), ((2400, 800), 2)):
            png = drawn_png([points], size=size, ratio=ratio)
            if accepted:
                assert check_signature(png, strokes, pixel_ratio=ratio).points == len(points)
            else:
                rejected(TOO_SMALL, png, strokes, pixel_ratio=ratio)


def test_wrong_pixel_ratio_reads_points_against_a_smaller_pad():
    # 220 CSS px wide on a 2400-px PNG: enough at ratio 2 (of 1200 CSS px), too little at ratio 1
    points = wavy_points(count=30, x0=300, x1=520, amplitude=35)
    png = drawn_png([points], size=(2400, 800), ratio=2)
    assert check_signature(png, strokes_json(group(points)), pixel_ratio=2).points == 30
    rejected(TOO_SMALL, png, strokes_json(group(points)), pixel_ratio=1)


def test_decode_data_url(signature):
    png, _ = signature
    assert decode_data_url("data:image/png;base64," + base64.b64encode(png).decode()) == png
    for value in ("data:image/jpeg;base64,AAAA", "image/png;base64,AAAA", "", "data:image/png;base64,@@@",
                  "data:image/png;base64,AAA", "data:image/png,AAAA",
                  "data:image/png;base64," + "A" * (2 * 1024 * 1024)):
        with pytest.raises(SignatureRejected) as caught:
            decode_data_url(value)
        assert str(caught.value) == UNREADABLE
