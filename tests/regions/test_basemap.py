"""The offline base map: TopoJSON decoded, land cut to Indonesia's box, rings closed; and the shipped file is
the land around Pesawaran."""

import json
from pathlib import Path

import naikkelas
from naikkelas.regions.basemap import BBOX, land_within_bbox


def test_a_topology_is_decoded_and_cut_to_the_box():
    # One square straddling the box's west edge (94° E), quantized with a transform, delta-encoded arcs.
    topology = {
        "type": "Topology",
        "transform": {"scale": [1, 1], "translate": [90, 0]},
        "arcs": [[[0, 0], [8, 0], [0, 2], [-8, 0], [0, -2]], [[60, 30], [1, 0], [0, 1], [-1, 0], [0, -1]]],
        "objects": {"land": {"type": "GeometryCollection",
                             "geometries": [{"type": "Polygon", "arcs": [[0]]}, {"type": "Polygon", "arcs": [[1]]}]}},
    }  # fmt: skip
    polygons = land_within_bbox(topology)["features"][0]["geometry"]["coordinates"]
    assert len(polygons) == 1  # the square far outside (150° E, 30° N) is left out
    ring = polygons[0][0]
    assert ring[0] == ring[-1]
    assert min(x for x, _y in ring) == BBOX[0] and max(x for x, _y in ring) == 98  # cut at 94° E
    assert {y for _x, y in ring} == {0, 2}


def test_the_shipped_base_map_holds_the_coast_of_lampung():
    path = Path(naikkelas.__file__).parent / "static/vendor/basemap/indonesia-land.geojson"
    polygons = json.loads(path.read_text())["features"][0]["geometry"]["coordinates"]
    west, south, east, north = BBOX
    points = [p for polygon in polygons for ring in polygon for p in ring]
    assert all(west <= x <= east and south <= y <= north for x, y in points)
    # Pesawaran's coast on Lampung Bay: land points near Gedong Tataan (105.1° E, 5.4° S).
    assert any(104.9 <= x <= 105.4 and -5.7 <= y <= -5.2 for x, y in points)
