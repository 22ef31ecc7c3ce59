"""Signatures for tests: a handwritten-looking scribble or a tap, as the signing page would send them."""
from __future__ import annotations

import base64
import io
import json
import math

from PIL import Image, ImageDraw


def scribble_points(width: int = 700, height: int = 260, n: int = 60) -> list[tuple[float, float]]:
    """A wavy line across most of the pad, like a signature written in one stroke."""
    return [(width * (0.1 + 0.8 * i / (n - 1)),
             height * (0.5 + 0.25 * math.sin(i / 3.0) * (1 - i / (2 * n)))) for i in range(n)]


def signature_post(points: list[tuple[float, float]] | None = None, *, width: int = 700,
                   height: int = 260) -> dict[str, str]:
    """The hidden fields the signing page fills in: PNG data URL, signature_pad's toData(), pixel ratio."""
    points = scribble_points(width, height) if points is None else points
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if len(points) == 1:
        x, y = points[0]
        draw.ellipse((x - 2, y - 2, x + 2, y + 2), fill=(15, 30, 90, 255))
    else:
        draw.line(points, fill=(15, 30, 90, 255), width=3, joint="curve")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    strokes = [{"penColor": "rgb(15, 30, 90)", "dotSize": 0, "minWidth": 1.2, "maxWidth": 3.2,
                "velocityFilterWeight": 0.7, "compositeOperation": "source-over",
                "points": [{"x": x, "y": y, "time": 1_700_000_000_000 + 16 * i, "pressure": 0.5}
                           for i, (x, y) in enumerate(points)]}]
    return {"signature": "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode(),
            "strokes": json.dumps(strokes), "pixel_ratio": "1"}


def tap_post() -> dict[str, str]:
    """A single touch: signature_pad draws a dot and is no longer 'empty'."""
    return signature_post([(350.0, 130.0)])
