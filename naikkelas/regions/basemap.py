"""The offline base map: Indonesia's coasts as GeoJSON, cut from Natural Earth's 1:10m land (public domain) as
the npm package world-atlas ships it (TopoJSON), so that maps show the land and the sea with no tile server.

    python -m naikkelas.regions.basemap package/land-10m.json naikkelas/static/vendor/basemap/indonesia-land.geojson

(`npm pack world-atlas@2.0.2` gives the package; static/vendor/README.md records the version.)"""

import json
import sys
from pathlib import Path

# Indonesia and the sea around it, with a margin: west, south, east, north (degrees).
BBOX = (94.0, -11.5, 141.5, 6.5)
DECIMALS = 3  # about 100 m: finer than a regency map needs


def _arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The topology's arcs as absolute longitude/latitude points (quantized arcs are delta-encoded)."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy in arc:
                x, y = x + dx, y + dy
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [tuple(p) for p in arc]
        arcs.append(points)
    return arcs


def _ring(indexes: list[int], arcs) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for i in indexes:
        points = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        ring.extend(points[1:] if ring else points)  # each arc starts where the last ended
    return ring


def _polygons(geometry: dict) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    if geometry["type"] == "GeometryCollection":
        return [p for g in geometry["geometries"] for p in _polygons(g)]
    return []


def _clip(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The ring cut to BBOX (Sutherland–Hodgman against each side of the rectangle): a continent reaching into
    the box keeps only its part inside."""
    west, south, east, north = BBOX
    sides = (
        (lambda p: p[0] >= west, lambda a, b: (west, a[1] + (b[1] - a[1]) * (west - a[0]) / (b[0] - a[0]))),
        (lambda p: p[0] <= east, lambda a, b: (east, a[1] + (b[1] - a[1]) * (east - a[0]) / (b[0] - a[0]))),
        (
            lambda p: p[1] >= south,
            lambda a, b: (a[0] + (b[0] - a[0]) * (south - a[1]) / (b[1] - a[1]), south),
        ),
        (
            lambda p: p[1] <= north,
            lambda a, b: (a[0] + (b[0] - a[0]) * (north - a[1]) / (b[1] - a[1]), north),
        ),
    )
    for inside, cross in sides:
        if not ring:
            break
        points, ring = ring, []
        previous = points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    ring.append(cross(previous, point))
                ring.append(point)
            elif inside(previous):
                ring.append(cross(previous, point))
            previous = point
    return ring


def _rounded(ring) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y in ring:
        point = [round(x, DECIMALS), round(y, DECIMALS)]
        if not out or point != out[-1]:
            out.append(point)
    return out


def land_within_bbox(topology: dict) -> dict:
    """A GeoJSON FeatureCollection of the land inside BBOX (rings of fewer than 4 points, islands too small to
    draw at this precision, are left out; every ring is closed)."""
    arcs = _arcs(topology)
    polygons = []
    for obj in topology["objects"].values():
        for polygon in _polygons(obj):
            rings = [_rounded(_clip(_ring(r, arcs))) for r in polygon]
            if rings and len(rings[0]) >= 4:
                polygons.append([r + [r[0]] if r[0] != r[-1] else r for r in rings if len(r) >= 4])
    geometry = {"type": "MultiPolygon", "coordinates": polygons}
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": geometry}],
    }


def main(source: str, target: str) -> None:
    collection = land_within_bbox(json.loads(Path(source).read_text()))
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    Path(target).write_text(json.dumps(collection, separators=(",", ":")))
    n = len(collection["features"][0]["geometry"]["coordinates"])
    print(f"{n} polygons, {Path(target).stat().st_size:,} bytes → {target}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
