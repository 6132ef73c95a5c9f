"""Abstract generated cover pictures for demo articles.

A cover is a rotated two-colour gradient with a soft radial glow, a few
translucent shapes and a faint grain, all drawn from a harmonious palette.
No fonts or external files are used, and every random decision is taken
from the ``random.Random`` passed in, so a seed always gives the same bytes
(for a given Pillow / libjpeg build).
"""

from __future__ import annotations

import colorsys
import io
import math
import random

from PIL import Image, ImageDraw, ImageFilter

__all__ = ["make_cover"]

RGB = tuple[int, int, int]
RGBA = tuple[int, int, int, int]

JPEG_QUALITY = 85
GRAIN_STRENGTH = 0.05


def _hsv(hue: float, saturation: float, value: float) -> RGB:
    red, green, blue = colorsys.hsv_to_rgb(hue % 1.0, saturation, value)
    return round(red * 255), round(green * 255), round(blue * 255)


def _palette(rng: random.Random) -> list[RGB]:
    """Return [dark, mid, analogous, light, accent] colours around one hue."""
    hue = rng.random()
    shift = rng.uniform(0.06, 0.14)
    return [
        _hsv(hue, rng.uniform(0.55, 0.8), rng.uniform(0.3, 0.45)),
        _hsv(hue + shift, rng.uniform(0.45, 0.7), rng.uniform(0.75, 0.92)),
        _hsv(hue - shift, rng.uniform(0.4, 0.65), rng.uniform(0.7, 0.9)),
        _hsv(hue + shift / 2, rng.uniform(0.08, 0.2), 0.97),
        _hsv(hue + 0.5, rng.uniform(0.45, 0.65), rng.uniform(0.85, 0.97)),
    ]


def _gradient(size: tuple[int, int], start: RGB, end: RGB, angle: float) -> Image.Image:
    """Linear gradient from ``start`` to ``end`` rotated by ``angle`` degrees."""
    width, height = size
    side = math.ceil(math.hypot(width, height))
    mask = Image.linear_gradient("L").resize((side, side))
    mask = mask.rotate(angle, resample=Image.Resampling.BICUBIC)
    left, top = (side - width) // 2, (side - height) // 2
    mask = mask.crop((left, top, left + width, top + height))
    return Image.composite(Image.new("RGB", size, end), Image.new("RGB", size, start), mask)


def _glow(rng: random.Random, image: Image.Image, colour: RGB) -> Image.Image:
    """Blend a soft radial light spot of ``colour`` somewhere on ``image``."""
    width, height = image.size
    radius = int(max(width, height) * rng.uniform(0.5, 0.9))
    centre_x = int(width * rng.uniform(0.1, 0.9))
    centre_y = int(height * rng.uniform(0.1, 0.9))
    # radial_gradient is 0 in the centre and only 181 at the middle of each
    # side (255 in the corners), so rescale: full glow at the centre, none
    # from the inscribed circle outwards.
    spot = Image.radial_gradient("L").resize((2 * radius, 2 * radius))
    mask = Image.new("L", image.size, 255)
    mask.paste(spot, (centre_x - radius, centre_y - radius))
    strength = rng.uniform(0.35, 0.6)
    mask = mask.point(lambda level: round(max(0.0, 255 - level * 255 / 181) * strength))
    return Image.composite(Image.new("RGB", image.size, colour), image, mask)


def _with_alpha(colour: RGB, alpha: int) -> RGBA:
    return colour[0], colour[1], colour[2], alpha


def _box(rng: random.Random, size: tuple[int, int], scale: float) -> tuple[int, int, int, int]:
    """A random bounding box whose side is about ``scale`` of the picture."""
    width, height = size
    side = int(min(width, height) * scale * rng.uniform(0.5, 1.2))
    left = rng.randint(-side // 2, width - side // 2)
    top = rng.randint(-side // 2, height - side // 2)
    return left, top, left + side, top + rng.randint(side // 2, side)


def _draw_shape(
    rng: random.Random, draw: ImageDraw.ImageDraw, size: tuple[int, int], colour: RGB
) -> None:
    """Draw one translucent circle, ring, rounded box, triangle or band."""
    fill = _with_alpha(colour, rng.randint(60, 170))
    kind = rng.randrange(5)
    box = _box(rng, size, rng.uniform(0.25, 0.8))
    if kind == 0:
        draw.ellipse(box, fill=fill)
    elif kind == 1:
        draw.ellipse(box, outline=fill, width=rng.randint(4, 18))
    elif kind == 2:
        draw.rounded_rectangle(box, radius=rng.randint(6, 40), fill=fill)
    elif kind == 3:
        left, top, right, bottom = box
        apex = (rng.randint(left, right), top)
        draw.polygon([apex, (left, bottom), (right, bottom)], fill=fill)
    else:
        width, height = size
        y = rng.randint(0, height)
        slope = rng.randint(-height // 2, height // 2)
        draw.line([(-10, y), (width + 10, y + slope)], fill=fill, width=rng.randint(10, 60))


def _shapes(rng: random.Random, size: tuple[int, int], palette: list[RGB]) -> Image.Image:
    """Return a transparent layer with a few shapes, some of them blurred."""
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for _ in range(rng.randint(3, 6)):
        _draw_shape(rng, draw, size, palette[rng.randint(1, 4)])
    # Blur premultiplied ("RGBa") so shape edges don't fade through black.
    blur = ImageFilter.GaussianBlur(rng.uniform(4.0, 12.0))
    layer = layer.convert("RGBa").filter(blur).convert("RGBA")
    sharp = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(sharp)
    for _ in range(rng.randint(2, 5)):
        _draw_shape(rng, draw, size, palette[rng.randint(2, 4)])
    return Image.alpha_composite(layer, sharp)


def _grain(rng: random.Random, image: Image.Image) -> Image.Image:
    """Add faint deterministic film grain (keeps the JPEG from being tiny)."""
    noise = Image.frombytes("L", image.size, rng.randbytes(image.width * image.height))
    return Image.blend(image, noise.convert("RGB"), GRAIN_STRENGTH)


def make_cover(rng: random.Random, width: int = 640, height: int = 400) -> bytes:
    """Return the JPEG bytes of an abstract ``width`` x ``height`` picture."""
    size = (width, height)
    palette = _palette(rng)
    image = _gradient(size, palette[0], palette[1], rng.uniform(0, 360))
    image = _glow(rng, image, palette[3])
    shapes = _shapes(rng, size, palette)
    image = Image.alpha_composite(image.convert("RGBA"), shapes).convert("RGB")
    image = _grain(rng, image)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return buffer.getvalue()
