"""Country shapes for the search page's map: Natural Earth admin-0 countries (1:110m) as SVG paths.

The shapes come from the npm package world-atlas (TopoJSON of Natural Earth), which `make setup` and
the Docker image install as data/countries-110m.json; nothing is fetched at run time. Each shape is
keyed by the ISO alpha-2 code the entities service gives places (`country_codes` in the index), so
the page can shade it by the articles that mention a place there.
"""

from __future__ import annotations

import csv
import functools
import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).with_name("data")
ATLAS = DATA / "countries-110m.json"
CODES = DATA / "countries.tsv"
# plate carrée, a degree 2 units wide; the map stops short of the poles, where no news is placed
SCALE = 2.0
NORTH, SOUTH = 84.0, -58.0
ANTARCTICA = "010"  # spans the whole width and carries no news

Point = tuple[float, float]


class AtlasMissing(RuntimeError):
    """The country shapes were not installed: `make setup` installs them."""


def decode_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    """The topology's arcs in longitude and latitude: TopoJSON quantises them and stores each point
    as the difference from the one before."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list[list[Point]]) -> list[Point]:
    """One closed ring from its arcs; a negative index ~i is arc i walked backwards, and each arc
    starts where the last one ended, so that shared point is kept once."""
    points: list[Point] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def unwrap(points: list[Point]) -> list[Point]:
    """The ring with no jump of more than half the globe between neighbours: a ring that crosses the
    antimeridian (Russia's, Fiji's) goes on past 180° instead of coming back across the whole map."""
    out: list[Point] = []
    shift = 0.0
    for lon, lat in points:
        if out:
            step = lon + shift - out[-1][0]
            if step > 180:
                shift -= 360
            elif step < -180:
                shift += 360
        out.append((lon + shift, lat))
    return out


def project(point: Point) -> Point:
    lon, lat = point
    return (round((lon + 180) * SCALE, 1), round((NORTH - max(SOUTH, min(NORTH, lat))) * SCALE, 1))


def path(rings: list[list[Point]]) -> str:
    """SVG path data, each ring a closed subpath."""
    parts = []
    unwrapped = [unwrap(points) for points in rings]
    # what went past an edge is drawn again from the other one; the drawing clips both
    for points in list(unwrapped):
        east, west = max(lon for lon, _ in points), min(lon for lon, _ in points)
        if east > 180 or west < -180:
            offset = -360 if east > 180 else 360
            unwrapped.append([(lon + offset, lat) for lon, lat in points])
    for points in unwrapped:
        projected: list[Point] = []
        for point in points:
            xy = project(point)
            if not projected or projected[-1] != xy:  # points a rounding apart draw as one
                projected.append(xy)
        parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in projected) + "Z")
    return "".join(parts)


def _rings(geometry: dict[str, Any], arcs: list[list[Point]]) -> list[list[Point]]:
    polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
    return [ring(indexes, arcs) for polygon in polygons for indexes in polygon]


def countries(topology: dict[str, Any], codes: dict[str, tuple[str, str]]) -> list[dict[str, Any]]:
    """Every country of the topology with its alpha-2 code and Arabic name (None where ISO has no
    code for it) and its SVG path."""
    arcs = decode_arcs(topology)
    shapes = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("type") not in ("Polygon", "MultiPolygon") or geometry.get("id") == ANTARCTICA:
            continue
        code, name = codes.get(geometry.get("id") or "", (None, None))
        shapes.append({"code": code, "name": name, "d": path(_rings(geometry, arcs))})
    return shapes


def load_codes(path: Path = CODES) -> dict[str, tuple[str, str]]:
    """ISO numeric code -> (alpha-2 code, Arabic name)."""
    with path.open(encoding="utf-8") as lines:
        rows = csv.DictReader((line for line in lines if not line.startswith("#")), delimiter="\t")
        return {row["numeric"]: (row["alpha_2"], row["name"]) for row in rows}


@functools.cache
def world_map() -> dict[str, Any]:
    """What GET /v1/map answers: the drawing's size and every country's shape, computed once."""
    if not ATLAS.exists():
        raise AtlasMissing(f"{ATLAS} is missing: `make setup` installs it from the world-atlas package")
    topology = json.loads(ATLAS.read_text(encoding="utf-8"))
    return {
        "width": 360 * SCALE,
        "height": (NORTH - SOUTH) * SCALE,
        "countries": countries(topology, load_codes()),
    }
