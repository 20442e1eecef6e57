"""The sheet is found on the table and straightened; when unsure the whole frame is kept."""

from __future__ import annotations

import random

import numpy as np
import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from bot.documents import convert
from bot.documents.photo import photo_page
from bot.documents.sheet import find_sheet, locate, sheet_size, warp
from tests.documents.conftest import (
    assert_compliant,
    encode,
    first_page,
    jpeg_with_orientation,
    mean_of,
    receipt,
)

FRAME = (2000, 1500)  # landscape, like a phone held sideways
# Where the sheet's corners land in the frame: turned ~6° and in perspective (far side on top).
CORNERS = ((640, 260), (1330, 330), (1420, 1290), (560, 1240))


def _sheet(size: tuple[int, int] = (700, 990)) -> Image.Image:
    """A white sheet with rows of text from margin to margin."""
    sheet = Image.new("L", size, 245)
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default(size=28)
    for row in range(40, size[1] - 50, 45):
        draw.text((40, row), "TOTAL 42,50 EUR  Farmacia", fill=25, font=font)
    return sheet


def _noise(size: tuple[int, int], mean: float, sigma: float, seed: int) -> Image.Image:
    """Gaussian noise, the same on every run (Image.effect_noise is not seeded)."""
    values = np.random.default_rng(seed).normal(mean, sigma, (size[1], size[0]))
    return Image.fromarray(values.clip(0, 255).astype(np.uint8))


def _table(size: tuple[int, int], seed: int = 3) -> Image.Image:
    """A darker, textured table: noise and wood grain."""
    table = _noise(size, 95, 12, seed)
    draw = ImageDraw.Draw(table)
    rng = random.Random(seed)
    for _ in range(25):  # wood grain: long, faint lines
        y, slope = rng.randrange(size[1]), rng.randrange(-80, 80)
        draw.line((0, y, size[0], y + slope), fill=rng.randrange(60, 130), width=3)
    return table


def _coefficients(src: tuple, dst: tuple) -> tuple[float, ...]:
    """Coefficients for Image.transform: output pixel ``dst[i]`` samples input ``src[i]``."""
    rows, values = [], []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        values += [u, v]
    return tuple(np.linalg.solve(np.array(rows, float), np.array(values, float)))


def _photo(corners=CORNERS, shadow: bool = False) -> Image.Image:
    """The sheet put on the table with its corners at ``corners``, lit as asked."""
    sheet = _sheet()
    w, h = sheet.size
    flat = ((0, 0), (w, 0), (w, h), (0, h))
    coefficients = _coefficients(flat, corners)
    warped = sheet.transform(FRAME, Image.Transform.PERSPECTIVE, coefficients, fillcolor=0)
    mask = Image.new("L", sheet.size, 255).transform(
        FRAME, Image.Transform.PERSPECTIVE, coefficients, fillcolor=0
    )
    scene = _table(FRAME)
    scene.paste(warped, (0, 0), mask)
    if shadow:
        # A lamp from the left and the phone's hard-edged shadow across the sheet.
        light = Image.linear_gradient("L").rotate(90).resize(FRAME).point(lambda v: 110 + v // 2)
        cast = Image.new("L", FRAME, 255)
        ImageDraw.Draw(cast).polygon([(800, 0), (1200, 0), (1050, 1500), (650, 1500)], fill=120)
        cast = cast.filter(ImageFilter.BoxBlur(15))
        scene = ImageChops.multiply(ImageChops.multiply(scene, light), cast)
    return scene.filter(ImageFilter.GaussianBlur(0.8)).convert("RGB")


def _grey(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("L"))


def _corner_error(found: np.ndarray, expected=CORNERS) -> float:
    return float(np.abs(found - np.array(expected, float)).max())


def _corners(image: Image.Image) -> np.ndarray | None:
    found = find_sheet(_grey(image))
    return None if found is None else found.corners


def test_sheet_corners_are_found_on_a_textured_table() -> None:
    quad = _corners(_photo())
    assert quad is not None
    # Clockwise from the top-left, within 1 % of the frame of the true corners.
    assert _corner_error(quad) < 20


def test_sheet_in_a_shadow_is_still_found() -> None:
    quad = _corners(_photo(shadow=True))
    assert quad is not None
    assert _corner_error(quad) < 20


def test_corners_are_ordered_from_the_top_left_whatever_the_turn() -> None:
    # The same sheet turned the other way: the top side still comes first.
    corners = ((560, 330), (1260, 260), (1340, 1240), (480, 1290))
    quad = _corners(_photo(corners))
    assert quad is not None
    assert _corner_error(quad, corners) < 20


def test_page_is_the_sheet_straightened_not_the_table() -> None:
    doc = convert(jpeg_with_orientation(_photo(shadow=True), 1))
    assert_compliant(doc.pdf)
    page = first_page(doc.pdf)
    # The sheet is portrait, 700×990 in its own pixels: the page is about that, not the frame.
    assert page.height > page.width
    assert 0.6 < page.width / page.height < 0.78
    # No table left around: the margins of the page are paper, white.
    for band in ((0, 0, 1, 0.02), (0, 0.98, 1, 1), (0, 0, 0.02, 1), (0.98, 0, 1, 1)):
        assert mean_of(page, band) > 225, band
    # Text runs from top to bottom: each tenth of the page height holds ink.
    for tenth in range(1, 9):
        top = tenth / 10
        assert mean_of(page, (0.05, top, 0.6, top + 0.1)) < 235


def test_text_rows_are_level_after_straightening() -> None:
    grey = _grey(_photo())
    quad = _corners(_photo())
    assert quad is not None
    flat = warp(grey, quad)
    # Rows of text on a level sheet: some pixel rows are all paper between the lines.
    columns = flat[:, 30 : flat.shape[1] - 30]
    blank_rows = (columns.min(axis=1) > 150).sum()
    assert blank_rows > 0.25 * flat.shape[0]


def test_sheet_filling_the_frame_is_not_cropped() -> None:
    image = receipt((1500, 2000))
    assert locate(_grey(image)) is None
    page = first_page(convert(encode(image, "PNG")).pdf)
    assert page.size == (1500, 2000)


def test_printed_box_on_the_paper_is_not_taken_for_the_sheet() -> None:
    image = receipt((1500, 2000), mode="L")
    ImageDraw.Draw(image).rectangle((200, 300, 1300, 1700), outline=20, width=6)
    assert locate(_grey(image)) is None


def test_uniform_noise_is_not_a_sheet() -> None:
    noise = _noise(FRAME, 128, 60, 5)
    assert locate(_grey(noise)) is None
    assert locate(_grey(_table(FRAME))) is None


def _distance_to_line(point: np.ndarray, start: tuple, end: tuple) -> float:
    a, b = np.array(start, float), np.array(end, float)
    along = (b - a) / np.linalg.norm(b - a)
    offset = point - a
    return float(abs(offset[0] * along[1] - offset[1] * along[0]))


def test_sheet_running_out_of_the_frame_is_found_and_cut() -> None:
    # Held close: the top of the sheet is beyond the frame. The sides and the bottom are the
    # sheet's; the top is drawn parallel to the bottom, high enough to keep all that is seen.
    corners = ((640, -200), (1330, -130), (1420, 1290), (560, 1240))
    sheet = locate(_grey(_photo(corners)))
    assert sheet is not None and sheet.cut
    top_left, top_right, bottom_right, bottom_left = sheet.corners
    assert _corner_error(np.array([bottom_right, bottom_left]), corners[2:]) < 20
    assert _distance_to_line(top_left, corners[0], corners[3]) < 10
    assert _distance_to_line(top_right, corners[1], corners[2]) < 10
    assert max(top_left[1], top_right[1]) <= 1  # nothing of the sheet above it is lost


@pytest.mark.parametrize(
    "corners",
    [
        ((1260, 260), (1950, 330), (2040, 1290), (1180, 1240)),  # a corner beyond the frame
        ((640, 330), (1330, 400), (1420, 1492), (560, 1460)),  # a thin strip of table below
    ],
)
def test_sheet_touching_the_frame_is_found_whole(corners: tuple) -> None:
    sheet = locate(_grey(_photo(corners)))
    assert sheet is not None and not sheet.cut
    assert _corner_error(sheet.corners, corners) < 20


def test_cut_sheet_page_has_no_table_and_level_lines() -> None:
    corners = ((640, -200), (1330, -130), (1420, 1290), (560, 1240))
    page = photo_page(jpeg_with_orientation(_photo(corners), 1))
    assert page.sheet_found
    image = page.image
    for band in ((0, 0, 0.02, 1), (0.98, 0, 1, 1), (0, 0.98, 1, 1)):
        assert mean_of(image, band) > 225, band
    rows = np.asarray(image)[:, 30 : image.width - 30]
    assert (rows.min(axis=1) > 150).sum() > 0.25 * image.height  # blank rows between lines


@pytest.mark.parametrize("orientation", [1, 6, 8])
def test_small_sheet_in_a_12mp_frame_is_cropped_upright(orientation: int) -> None:
    # A sheet far from the phone: found on the reduced copy, warped from the stored pixels
    # (the EXIF turn folded into the warp), upright and without the table.
    photo = _photo().resize((4000, 3000), Image.Resampling.BICUBIC)
    undo = {1: None, 6: Image.Transpose.ROTATE_90, 8: Image.Transpose.ROTATE_270}[orientation]
    stored = photo.transpose(undo) if undo is not None else photo
    page = photo_page(jpeg_with_orientation(stored, orientation))
    assert page.sheet_found
    assert not page.turned
    assert 0.6 < page.image.width / page.image.height < 0.78
    for band in ((0, 0, 1, 0.02), (0, 0.98, 1, 1)):
        assert mean_of(page.image, band) > 225, band
    # The first line of text is at the top, on the left.
    left, right = (0.05, 0.03, 0.5, 0.1), (0.6, 0.03, 0.95, 0.1)
    assert mean_of(page.image, left) < mean_of(page.image, right)


def _seen_by_camera(turn_x: float, turn_y: float, focal: float) -> np.ndarray:
    """Corners of a 700 × 990 sheet seen by a pinhole camera turned about x and y (radians)."""
    frame = (1512, 2016)
    sheet = np.array([[-350, -495, 0], [350, -495, 0], [350, 495, 0], [-350, 495, 0]], float)
    cx, sx, cy, sy = np.cos(turn_x), np.sin(turn_x), np.cos(turn_y), np.sin(turn_y)
    rotation = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]]) @ np.array(
        [[1, 0, 0], [0, cx, -sx], [0, sx, cx]]
    )
    points = sheet @ rotation.T + [0, 0, 2.0 * focal]
    return np.array(
        [[focal * x / z + frame[0] / 2, focal * y / z + frame[1] / 2] for x, y, z in points],
        np.float32,
    )


@pytest.mark.parametrize(("turn_x", "turn_y"), [(0.5, 0.0), (0.35, 0.17), (0.1, -0.4)])
def test_straightened_sheet_keeps_its_true_shape(turn_x: float, turn_y: float) -> None:
    # Seen from an angle, the near side looks longer; the sheet is still A4-like, not squat.
    quad = _seen_by_camera(turn_x, turn_y, focal=0.8 * 2016)
    width, height = sheet_size(quad, (1512, 2016))
    assert width / height == pytest.approx(700 / 990, rel=0.02)
    assert height <= max(np.linalg.norm(quad[3] - quad[0]), np.linalg.norm(quad[2] - quad[1])) + 1
