"""Find the sheet in a photo and straighten it, as scanner apps do; else keep the whole frame.

The search runs on a small copy (long side ``_DETECT_SIDE``) in the logarithm of brightness,
where the step from table to paper is the same in a shadow as under the lamp while soft shadow
borders and lighting gradients stay weak. Edges (Canny) are closed by a dilation, each outline
is filled and opened (thin lines touching the sheet go), the outer outline of each remaining
blob is simplified to a polygon and a quadrilateral is accepted only when it is
convex, covers a sensible part of the frame, has plausible angles and sides, and is brighter
inside than outside along each of its four sides: a printed box on the paper or a textured
table without a sheet give ``None``, and the page is found from its ink instead.

A sheet held close runs out of the frame: its outline stays open and nothing is filled. Then
the frame's border closes it: the regions that edges and border enclose are tried the same
way, one or two sides lying on the border (``Sheet.cut``), the others brighter inside.
``straighten`` maps the sheet onto a rectangle of its true shape.

OpenCV (findContours, approxPolyDP, warpPerspective) does the pixel work in C.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

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
_ON_FRAME = 3  # detect-scale pixels: a side this close to the border is the frame's edge
_SAMPLES = 17  # points along each side where paper and table are compared
_LEAST_SEEN, _LEAST_SEEN_CUT = 9, 5  # of them, in the frame: most, or some when it cuts
# log lookup: 0..255 → 0..255; a ratio of brightness becomes a difference.
_LOG = np.array([round(math.log1p(v) * 255 / math.log(256)) for v in range(256)], np.uint8)

Quad = np.ndarray  # 4×2 float32, corners clockwise from the top-left, image pixels


def locate(grey: np.ndarray) -> Sheet | None:
    """Return the sheet in ``grey`` (grey pixels), or None: never raises."""
    try:
        return find_sheet(grey)
    except (cv2.error, ValueError, ArithmeticError):
        return None  # an aid, never a reason to refuse a photo


def sheet_size(quad: Quad, frame: tuple[int, int], cut: bool = False) -> tuple[int, int]:
    """Return the (width, height) in pixels of the rectangle ``quad`` is straightened into.

    The shape is the sheet's true one, as the camera saw it from an angle (``_aspect``), unless
    the frame ``cut`` the sheet (its corners are not all the sheet's); the size is as large as
    the longest side photographed, never more (no upscaled blur).
    """
    top, right, bottom, left = _sides(quad)
    longest_w, longest_h = max(top, bottom), max(left, right)
    aspect = (None if cut else _aspect(quad, frame)) or longest_w / longest_h
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


@dataclass(frozen=True)
class Sheet:
    """Where the sheet lies in the photo: its corners, and whether the frame cuts it.

    ``cut``: one or two sides of the sheet are outside the frame; the corners then bound the
    part that was photographed, and the sheet's true proportions cannot be known.
    """

    corners: Quad
    cut: bool = False


def find_sheet(pixels: np.ndarray) -> Sheet | None:
    """Return the paper sheet in ``pixels`` (grey), or None if unsure."""
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
    whole = _best_quad(_filled(edges.shape, contours), paper, cut=False)
    if whole is not None:
        return Sheet(_inset(whole[0]) / scale)
    # A sheet running out of the frame leaves its outline open: the frame's border closes
    # it, and the regions the border and the edges enclose are the candidates.
    closed = cv2.rectangle(edges.copy(), (0, 0), (edges.shape[1] - 1, edges.shape[0] - 1), 255)
    contours, hierarchy = cv2.findContours(closed, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    border = max(range(len(contours)), key=lambda i: cv2.contourArea(contours[i]))
    holes = [c for c, links in zip(contours, hierarchy[0], strict=True) if links[3] == border]
    found = _best_quad(_filled(edges.shape, holes), paper, cut=True)
    if found is None:
        return None
    # The hole lies inside the outline already: no inset.
    quad, framed = found
    return Sheet(_complete(quad, framed) / scale, cut=any(framed))


def _filled(shape: tuple[int, ...], outlines: Sequence[np.ndarray]) -> np.ndarray:
    blobs = np.zeros(shape[:2], np.uint8)
    cv2.drawContours(blobs, list(outlines), -1, 255, thickness=cv2.FILLED)
    return np.asarray(
        cv2.morphologyEx(blobs, cv2.MORPH_OPEN, np.ones((_OPENING, _OPENING), np.uint8))
    )


def _best_quad(
    blobs: np.ndarray, paper: np.ndarray, cut: bool
) -> tuple[Quad, list[bool]] | None:
    """Return the largest plausible sheet among the blobs and which sides the frame gave."""
    contours, _ = cv2.findContours(blobs, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    hulls = sorted((cv2.convexHull(c) for c in contours), key=cv2.contourArea, reverse=True)
    frame_area = float(blobs.shape[0] * blobs.shape[1])
    for hull in hulls[:5]:
        if cv2.contourArea(hull) < _MIN_AREA * frame_area:
            break
        found = _sides_in_frame(hull, blobs.shape) if cut else _quadrilateral(hull)
        if found is None:
            continue
        quad, framed = (found, [False] * 4) if isinstance(found, np.ndarray) else found
        if _plausible(quad, blobs.shape, paper, framed, cut):
            return quad, framed
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


def _plausible(
    quad: Quad, shape: tuple[int, ...], paper: np.ndarray, framed: list[bool], cut: bool
) -> bool:
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
    steps = [_step_outside(quad, i, paper) for i in range(4) if not framed[i]]
    if not cut:  # most of each side in the frame, showing the step from table to paper
        return all(seen >= _LEAST_SEEN and step >= _MIN_STEP for seen, step in steps)
    # The sides the frame gave, or that hug its border, have nothing outside to compare with:
    # at most two; the others must show the step.
    shown = [step for seen, step in steps if seen >= _LEAST_SEEN_CUT]
    return len(shown) >= 2 and all(step >= _MIN_STEP for step in shown)


def _on_frame(start: np.ndarray, end: np.ndarray, shape: tuple[int, ...]) -> bool:
    """Tell whether the segment runs along the frame's border (the sheet goes on beyond it)."""
    height, width = shape[:2]
    ends = np.array([start, end])
    for axis, limit in ((0, width), (1, height)):
        if np.all(ends[:, axis] <= _ON_FRAME) or np.all(ends[:, axis] >= limit - 1 - _ON_FRAME):
            return True
    return False


def _sides_in_frame(hull: np.ndarray, shape: tuple[int, ...]) -> tuple[Quad, list[bool]] | None:
    """Return the sheet's quadrilateral from a region closed by the frame, and its frame sides.

    The region's outline is the sheet's edges and stretches of the frame's border. Stretches
    of border in a row are one side where the sheet runs out of the frame; between two edges
    that meet at an angle, they are a corner the frame clipped, and the edges' lines give it.
    """
    # A fine outline (a clipped corner is a short stretch of border), then straight runs.
    tolerance = max(2.0, 0.005 * cv2.arcLength(hull, True))
    polygon = cv2.approxPolyDP(hull, tolerance, True).reshape(-1, 2).astype(np.float32)
    sides = _merged_sides(polygon, shape)
    if sides is None:
        return None
    lines = [(a, b) for a, b, _ in sides]
    corners = [_crossing(lines[i - 1], lines[i]) for i in range(4)]  # corner i starts side i
    if any(c is None for c in corners):
        return None
    ordered = np.array(corners, np.float32)
    quad = _clockwise(ordered)
    # _clockwise may start elsewhere: carry each side's flag along with its first corner.
    shift = next(k for k in range(4) if np.array_equal(quad[0], ordered[k]))
    return quad, [sides[(shift + k) % 4][2] for k in range(4)]


Side = tuple[np.ndarray, np.ndarray, bool]  # start, end, whether it lies on the frame


def _mergeable(first: Side, second: Side) -> bool:
    if first[2] != second[2]:
        return False
    return first[2] or _parallel(first, second, 12.0)


def _merged_sides(polygon: Quad, shape: tuple[int, ...]) -> list[Side] | None:
    count = len(polygon)
    edges: list[Side] = [
        (polygon[i], polygon[(i + 1) % count], _on_frame(polygon[i], polygon[(i + 1) % count],
                                                          shape))
        for i in range(count)
    ]
    if all(edge[2] for edge in edges):
        return None
    breaks = [i for i in range(count) if not _mergeable(edges[i - 1], edges[i])]
    if not breaks:
        return None
    sides: list[Side] = []
    for k in range(count):  # from the first edge that starts a new side
        edge = edges[(breaks[0] + k) % count]
        if sides and _mergeable(sides[-1], edge):
            sides[-1] = (sides[-1][0], edge[1], edge[2])
        else:
            sides.append(edge)
    # A stretch of border between two edges at an angle is a clipped corner: drop it.
    kept = [
        side for i, side in enumerate(sides)
        if not side[2] or _parallel(sides[i - 1], sides[(i + 1) % len(sides)], 30.0)
    ]
    if len(kept) != 4 or sum(side[2] for side in kept) > 2:
        return None
    return kept


def _parallel(first: Side, second: Side, degrees: float) -> bool:
    """Tell whether two sides run within ``degrees`` of each other."""
    a, b = first[1] - first[0], second[1] - second[0]
    cosine = abs(float(np.dot(a, b))) / (float(np.linalg.norm(a) * np.linalg.norm(b)) + 1e-9)
    return cosine > math.cos(math.radians(degrees))


def _crossing(
    first: tuple[np.ndarray, np.ndarray], second: tuple[np.ndarray, np.ndarray]
) -> np.ndarray | None:
    """Return where the lines through two segments cross, or None if nearly parallel."""
    (p, r), (q, s) = (first[0], first[1] - first[0]), (second[0], second[1] - second[0])
    denominator = float(r[0] * s[1] - r[1] * s[0])
    if abs(denominator) < 1e-6 * float(np.linalg.norm(r) * np.linalg.norm(s)) + 1e-9:
        return None
    t = float((q - p)[0] * s[1] - (q - p)[1] * s[0]) / denominator
    return np.asarray(p + t * r, np.float32)


def _complete(quad: Quad, framed: list[bool]) -> Quad:
    """Replace a single side the frame gave with one parallel to the opposite side.

    The frame's border is not the sheet's edge: warped level, it would tilt the lines near it.
    The sheet's opposite side gives the direction; the new side passes through the farther
    end of the border's stretch, so all that was photographed stays on the page.
    """
    if sum(framed) != 1:
        return quad
    side = framed.index(True)
    start, end = quad[side], quad[(side + 1) % 4]
    before, after = quad[side - 1], quad[(side + 2) % 4]  # the adjacent sides' far ends
    opposite = quad[(side + 3) % 4] - after
    normal = np.array([-opposite[1], opposite[0]])
    farther = max((start, end), key=lambda p: abs(float(np.dot(normal, p - after))))
    line = (farther, farther + opposite)
    out = quad.copy()
    for corner, adjacent in ((side, (before, start)), ((side + 1) % 4, (after, end))):
        crossing = _crossing(adjacent, line)
        if crossing is not None:
            out[corner] = crossing
    return out


def _step_outside(quad: Quad, side: int, paper: np.ndarray) -> tuple[int, float]:
    """Return how many points along this side could be compared, and the median step there
    from what lies just outside to the paper just inside."""
    start, end = quad[side], quad[(side + 1) % 4]
    along = end - start
    length = float(np.linalg.norm(along))
    normal = np.array([along[1], -along[0]]) / length  # outwards: the quad is clockwise
    height, width = paper.shape
    steps, seen = [], 0
    for t in np.linspace(0.1, 0.9, _SAMPLES):
        point = start + t * along
        # A sheet close to the frame's edge leaves a thin strip of table: look nearer.
        outers = (point + offset * normal for offset in (max(4.0, 0.02 * max(width, height)), 5.0))
        outer = next((o for o in outers if 0 <= o[0] < width and 0 <= o[1] < height), None)
        if outer is None:
            continue  # outside the frame: nothing to compare with
        inner = 2 * point - outer
        seen += 1
        inside = int(paper[int(inner[1]), int(inner[0])])
        outside = int(paper[int(outer[1]), int(outer[0])])
        steps.append(inside - outside)
    return seen, float(np.median(steps)) if steps else 0.0


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
