"""Find the sheet in a photo and straighten it, as scanner apps do; else keep the whole frame.

The search runs on a small copy (long side ``_DETECT_SIDE``) in the logarithm of brightness,
where the step from table to paper is the same in a shadow as under the lamp while soft shadow
borders and lighting gradients stay weak. Edges (Canny) are closed by a dilation, each outline
is filled and opened (thin lines touching the sheet go), the outer outline of each remaining
blob is simplified to a polygon and a quadrilateral is accepted only when it is
convex, covers a sensible part of the frame, has plausible angles and sides, and is brighter
inside than outside along each of its four sides: a printed box on the paper, a sheet that runs
out of the frame or a textured table without a sheet all give ``None``, and the page is the
whole frame as before. ``straighten`` maps the sheet onto a rectangle of its true shape.

OpenCV (findContours, approxPolyDP, warpPerspective) does the pixel work in C.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

_DETECT_SIDE = 640  # long side of the copy the sheet is searched on
_MIN_AREA = 0.04  # share of the frame: a card ticket shot from afar covers about 6 %
_MAX_AREA = 0.98  # more is the frame itself: nothing to crop
_MIN_ANGLE, _MAX_ANGLE = 55.0, 125.0  # interior angles of a sheet seen by a phone
_MIN_SIDE_RATIO = 0.5  # shortest / longest of two opposite sides (perspective)
_MIN_ASPECT = 0.1  # short / long side of the straightened sheet (long receipts)
_MIN_STEP = 10  # paper over table, in log units (46 per factor e): about 25 % brighter
_FOCAL = 0.8  # a phone's focal length, in long sides of the frame (26 mm equivalent)
_OPENING = 9  # detect-scale pixels: thinner things touching the sheet are cut off
_INSET = 2.5  # detect-scale pixels the outline lies outside the paper (edge + dilation)
# log lookup: 0..255 → 0..255; a ratio of brightness becomes a difference.
_LOG = np.array([round(math.log1p(v) * 255 / math.log(256)) for v in range(256)], np.uint8)

Quad = np.ndarray  # 4×2 float32, corners clockwise from the top-left, image pixels


def locate(grey: np.ndarray) -> Quad | None:
    """Return the corners of the sheet in ``grey`` (grey pixels), or None: never raises."""
    try:
        return find_sheet(grey)
    except (cv2.error, ValueError, ArithmeticError):
        return None  # an aid, never a reason to refuse a photo


def sheet_size(quad: Quad, frame: tuple[int, int]) -> tuple[int, int]:
    """Return the (width, height) in pixels of the rectangle ``quad`` is straightened into.

    The shape is the sheet's true one, as the camera saw it from an angle (``_aspect``); the
    size is as large as the longest side photographed, never more (no upscaled blur).
    """
    top, right, bottom, left = _sides(quad)
    longest_w, longest_h = max(top, bottom), max(left, right)
    aspect = _aspect(quad, frame) or longest_w / longest_h
    width = min(longest_w, longest_h * aspect)
    return max(1, round(width)), max(1, round(width / aspect))


def _aspect(quad: Quad, frame: tuple[int, int]) -> float | None:
    """Return the sheet's width / height as a pinhole camera saw it, or None if unsure.

    Zhang & He, "Whiteboard scanning and image enhancement" (2007): the sides' vanishing
    directions, seen through the camera's focal length, give the true ratio of the sides.
    The focal length they also allow to estimate is unstable with corners found within a
    few pixels; a phone's main camera is close to ``_FOCAL`` × the frame's long side, and
    an error of 25 % on it changes the ratio by a few per cent only.
    """
    tl, tr, br, bl = (np.array([x, y, 1.0]) for x, y in quad.astype(float))
    k2 = np.dot(np.cross(tl, br), bl) / np.dot(np.cross(tr, br), bl)
    k3 = np.dot(np.cross(tl, br), tr) / np.dot(np.cross(bl, br), tr)
    focal = _FOCAL * max(frame)
    camera = np.array([[focal, 0, frame[0] / 2], [0, focal, frame[1] / 2], [0, 0, 1]])
    across, down = np.linalg.solve(camera, k2 * tr - tl), np.linalg.solve(camera, k3 * bl - tl)
    aspect = float(np.sqrt(np.dot(across, across) / np.dot(down, down)))
    top, right, bottom, left = _sides(quad)
    naive = max(top, bottom) / max(left, right)
    return aspect if math.isfinite(aspect) and 0.67 < aspect / naive < 1.5 else None


def find_sheet(pixels: np.ndarray) -> Quad | None:
    """Return the corners of the paper sheet in ``pixels`` (grey), or None if unsure."""
    scale = min(1.0, _DETECT_SIDE / max(pixels.shape))
    small = pixels
    if scale < 1.0:
        size = (max(1, round(pixels.shape[1] * scale)), max(1, round(pixels.shape[0] * scale)))
        small = cv2.resize(pixels, size, interpolation=cv2.INTER_AREA)
    logged = cv2.GaussianBlur(cv2.LUT(small, _LOG), (5, 5), 0)
    edges = cv2.Canny(logged, 20, 50)
    edges = cv2.dilate(edges, np.ones((3, 3), np.uint8), iterations=1)
    # Paper level near each point, text lifted away: for the inside/outside test.
    paper = cv2.dilate(logged, np.ones((5, 5), np.uint8))
    contours, _ = cv2.findContours(edges, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    # Fill each outline, then open: the lines that touch the sheet (a shadow's border, a
    # table's edge) and the table's grain are thin and go, the filled sheet stays.
    blobs = np.zeros_like(edges)
    cv2.drawContours(blobs, contours, -1, 255, thickness=cv2.FILLED)
    blobs = cv2.morphologyEx(blobs, cv2.MORPH_OPEN, np.ones((_OPENING, _OPENING), np.uint8))
    contours, _ = cv2.findContours(blobs, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    hulls = sorted((cv2.convexHull(c) for c in contours), key=cv2.contourArea, reverse=True)
    frame_area = float(small.shape[0] * small.shape[1])
    for hull in hulls[:5]:
        if cv2.contourArea(hull) < _MIN_AREA * frame_area:
            break
        quad = _quadrilateral(hull)
        if quad is not None and _plausible(quad, small.shape, paper):
            found: Quad = _inset(quad) / scale
            return found
    return None


def _quadrilateral(hull: np.ndarray) -> Quad | None:
    perimeter = cv2.arcLength(hull, True)
    for share in (0.02, 0.03, 0.045):  # rounded or dog-eared corners need a looser fit
        polygon = cv2.approxPolyDP(hull, share * perimeter, True)
        if len(polygon) == 4:
            return _clockwise(polygon.reshape(4, 2).astype(np.float32))
    return None


def _clockwise(points: Quad) -> Quad:
    """Order corners clockwise (image axes), starting where the top side is most level."""
    centre = points.mean(axis=0)
    angles = np.arctan2(points[:, 1] - centre[1], points[:, 0] - centre[0])
    points = points[np.argsort(angles)]  # y grows downwards: increasing angle is clockwise

    def tilt(start: int) -> float:
        dx, dy = points[(start + 1) % 4] - points[start]
        return abs(math.atan2(dy, dx))  # 0 when the side from this corner runs rightwards

    start = min(range(4), key=tilt)
    return np.roll(points, -start, axis=0)


def _interior_angles(quad: Quad) -> list[float]:
    angles = []
    for i in range(4):
        a, b = quad[i - 1] - quad[i], quad[(i + 1) % 4] - quad[i]
        cosine = float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-9))
        angles.append(math.degrees(math.acos(max(-1.0, min(1.0, cosine)))))
    return angles


def _sides(quad: Quad) -> list[float]:
    return [float(np.linalg.norm(quad[(i + 1) % 4] - quad[i])) for i in range(4)]


def _plausible(quad: Quad, shape: tuple[int, ...], paper: np.ndarray) -> bool:
    area = cv2.contourArea(quad)
    if not _MIN_AREA <= area / (shape[0] * shape[1]) <= _MAX_AREA:
        return False
    if not cv2.isContourConvex(quad.reshape(-1, 1, 2)):
        return False
    if not all(_MIN_ANGLE <= a <= _MAX_ANGLE for a in _interior_angles(quad)):
        return False
    top, right, bottom, left = _sides(quad)
    if min(top, bottom) < _MIN_SIDE_RATIO * max(top, bottom):
        return False
    if min(left, right) < _MIN_SIDE_RATIO * max(left, right):
        return False
    width, height = max(top, bottom), max(left, right)
    if min(width, height) < _MIN_ASPECT * max(width, height):
        return False
    return all(_brighter_inside(quad, i, paper) for i in range(4))


def _brighter_inside(quad: Quad, side: int, paper: np.ndarray) -> bool:
    """Tell whether the paper is brighter than what lies just outside this side."""
    start, end = quad[side], quad[(side + 1) % 4]
    along = end - start
    length = float(np.linalg.norm(along))
    normal = np.array([along[1], -along[0]]) / length  # outwards: the quad is clockwise
    offset = max(4.0, 0.02 * max(paper.shape))
    height, width = paper.shape
    steps, seen = [], 0
    for t in np.linspace(0.1, 0.9, 17):
        point = start + t * along
        inner, outer = point - offset * normal, point + offset * normal
        if not (0 <= outer[0] < width and 0 <= outer[1] < height):
            continue  # outside the frame: nothing to compare with
        seen += 1
        inside = int(paper[int(inner[1]), int(inner[0])])
        outside = int(paper[int(outer[1]), int(outer[0])])
        steps.append(inside - outside)
    # Most of the side must be in the frame and show the step from table to paper.
    return seen >= 9 and float(np.median(steps)) >= _MIN_STEP


def _inset(quad: Quad) -> Quad:
    """Move each corner inwards by the width of the outline, along the diagonals' bisector."""
    out = quad.copy()
    for i in range(4):
        a, b = quad[i - 1] - quad[i], quad[(i + 1) % 4] - quad[i]
        a, b = a / np.linalg.norm(a), b / np.linalg.norm(b)
        bisector = a + b
        sine = math.sin(math.acos(max(-1.0, min(1.0, float(np.dot(a, b))))) / 2)
        out[i] = quad[i] + bisector / np.linalg.norm(bisector) * _INSET / max(sine, 0.3)
    return out


def straighten(grey: np.ndarray, quad: Quad, size: tuple[int, int] | None = None) -> np.ndarray:
    """Return the sheet ``quad`` of ``grey`` as an upright rectangle, or ``grey`` on failure."""
    try:
        return warp(grey, quad, size)
    except (cv2.error, ValueError, ArithmeticError):
        return grey


def warp(grey: np.ndarray, quad: Quad, size: tuple[int, int] | None = None) -> np.ndarray:
    """Map ``quad`` (clockwise from top-left) onto a rectangle of ``size`` pixels.

    Without ``size``, the sheet's own size (``sheet_size``). The scale to the page is part of
    the homography, so the sheet is resampled once, straight into the page's pixels; linear
    interpolation is enough there, as the pixels were first brought close to the page's scale.
    """
    width, height = size or sheet_size(quad, (grey.shape[1], grey.shape[0]))
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(quad.astype(np.float32), target)
    return np.asarray(cv2.warpPerspective(
        grey, matrix, (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    ))
