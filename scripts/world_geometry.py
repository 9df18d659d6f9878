"""Build data/geometry/world-110m.json, the map's geometry, from Natural Earth's shapefiles.

The matrix's map (``compact.lib.charts.choropleth``) draws countries from a small static file
in the repository: no tile server, no network when a page or a PDF is drawn. This script
makes that file from Natural Earth (public domain) 1:110m admin-0 countries and populated
places, as shipped in the geopandas 0.14.4 wheel (``geopandas/datasets/naturalearth_lowres``
and ``naturalearth_cities``; Natural Earth version 5.x) — or from the same files downloaded
from https://www.naturalearthdata.com/.

Usage (from the repository root; the wheel is a zip file, unzip it anywhere):

    unzip geopandas-0.14.4-py3-none-any.whl 'geopandas/datasets/*' -d /tmp/ne
    python scripts/world_geometry.py /tmp/ne/geopandas/datasets [--out data/geometry/world-110m.json]

What it does, and why:

- reads the .shp/.dbf with ``struct`` (a few dozen lines; no GIS dependency for a one-off);
- codes each shape with its ISO 3166-1 alpha-2 code (the matrix's codes): from ``iso_a3``,
  and by name where Natural Earth has -99 or its own code (Kosovo → XK; Northern Cyprus is
  drawn as part of Cyprus and Somaliland as part of Somalia, as the United Nations count
  them); Antarctica is left out (no project is there, and it would take a fifth of the map);
- projects with the **Equal Earth** projection (Šavrič, Patterson & Jenny 2018): equal-area,
  so a large country does not look more important than it is, and pleasant for world maps;
- simplifies each ring (Douglas–Peucker, 0.35 px at 1000 px wide) and rounds to 0.1 px,
  dropping islands too small to see; the largest ring of a country is always kept;
- every state that 1:110m is too coarse to show (Maldives, Bahrain, Singapore, Malta, the
  small island states…) gets a dot at its capital from Natural Earth's populated places, so
  every UN Member and Observer State is on the map: the script fails if one is missing.

The output maps each code to Natural Earth's name for the shape (``name``; pages show the
translated name from django-countries) and SVG path data (``path``), or, for a dot, the capital
(``capital``) and its position (``dot``); and to a label point (``label``).
"""

from __future__ import annotations

import argparse
import json
import math
import struct
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY))

from django_countries.data import ALT_CODES  # noqa: E402  (plain data, no Django setup needed)

from compact.lib.places import UN_MEMBER_STATES, UN_OBSERVER_STATES  # noqa: E402

WIDTH = 1000.0
TOLERANCE = 0.35  # px: Douglas–Peucker tolerance at WIDTH
SMALLEST_ISLAND = 2.0  # px²: rings smaller than this are dropped (a country keeps its largest)

ALPHA3_TO_ALPHA2 = {alpha3: alpha2 for alpha2, (alpha3, _number) in ALT_CODES.items()}
# Natural Earth's shapes that have no ISO alpha-3 code, or a code of their own.
BY_NAME = {"Kosovo": "XK", "N. Cyprus": "CY", "Somaliland": "SO", "France": "FR", "Norway": "NO"}
LEFT_OUT = {"ATA"}  # Antarctica

# Capitals, as Natural Earth's populated places name them, of the states 1:110m does not draw,
# and the two Chinese special administrative regions the matrix names as places of their own.
CAPITALS = {
    "AD": "Andorra",
    "AG": "Saint John's",
    "BB": "Bridgetown",
    "BH": "Manama",
    "CV": "Praia",
    "DM": "Roseau",
    "FM": "Palikir",
    "GD": "Saint George's",
    "HK": "Hong Kong",
    "KI": "Tarawa",
    "KM": "Moroni",
    "KN": "Basseterre",
    "LC": "Castries",
    "LI": "Vaduz",
    "MC": "Monaco",
    "MH": "Majuro",
    "MO": "Macau",
    "MT": "Valletta",
    "MU": "Port Louis",
    "MV": "Malé",
    "NR": "Yaren",
    "PW": "Melekeok",
    "SC": "Victoria",
    "SG": "Singapore",
    "SM": "San Marino",
    "ST": "São Tomé",
    "TO": "Nuku'alofa",
    "TV": "Funafuti",
    "VA": "Vatican City",
    "VC": "Kingstown",
    "WS": "Apia",
}
# Places Natural Earth's populated places lack (longitude, latitude): Nauru's capital (Yaren
# District) and Macau.
EXTRA_PLACES = {"Yaren": (166.920867, -0.5477), "Macau": (113.5439, 22.1987)}


# --- Reading Natural Earth ----------------------------------------------------------------------


def read_dbf(path: Path) -> list[dict[str, str]]:
    """The records of a dBase III file, every field as stripped text (Natural Earth's are
    ISO-8859-1, as their .cpg says)."""
    data = path.read_bytes()
    count, header_length, record_length = struct.unpack("<4xIHH", data[:12])
    fields, position = [], 32
    while data[position] != 0x0D:
        name = data[position : position + 11].split(b"\0")[0].decode("ascii")
        fields.append((name, data[position + 16]))
        position += 32
    records = []
    for index in range(count):
        record = data[header_length + index * record_length : header_length + (index + 1) * record_length]
        offset, row = 1, {}  # the first byte is the deletion flag
        for name, length in fields:
            row[name] = record[offset : offset + length].decode("latin-1").strip()
            offset += length
        records.append(row)
    return records


def read_shapes(path: Path) -> list[list[list[tuple[float, float]]]]:
    """Each record's parts (rings or a single point) as (longitude, latitude) lists."""
    data = path.read_bytes()
    shapes, position = [], 100
    while position < len(data):
        _number, length = struct.unpack(">ii", data[position : position + 8])
        content = data[position + 8 : position + 8 + length * 2]
        position += 8 + length * 2
        shape_type = struct.unpack("<i", content[:4])[0]
        if shape_type == 1:  # point
            shapes.append([[struct.unpack("<2d", content[4:20])]])
            continue
        if shape_type not in (3, 5):  # polyline, polygon
            raise ValueError(f"{path.name}: shape type {shape_type} is not read by this script")
        parts_count, points_count = struct.unpack("<2i", content[36:44])
        starts = list(struct.unpack(f"<{parts_count}i", content[44 : 44 + 4 * parts_count]))
        points_at = 44 + 4 * parts_count
        flat = struct.unpack(f"<{2 * points_count}d", content[points_at : points_at + 16 * points_count])
        points = list(zip(flat[::2], flat[1::2], strict=True))
        ends = [*starts[1:], points_count]
        shapes.append([points[start:end] for start, end in zip(starts, ends, strict=True)])
    return shapes


# --- Projection and simplification --------------------------------------------------------------

A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2
EQUAL_EARTH_HALF_WIDTH = math.pi / (M * A1)  # x at longitude 180°, latitude 0
SCALE = WIDTH / (2 * EQUAL_EARTH_HALF_WIDTH)


def equal_earth(longitude: float, latitude: float) -> tuple[float, float]:
    """Equal Earth, in SVG pixels: x from 0 (180° W) to WIDTH, y down from the north."""
    lam, phi = math.radians(longitude), math.radians(latitude)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return WIDTH / 2 + x * SCALE, -y * SCALE


def simplified(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas–Peucker, iterative (rings of a few thousand points would recurse deeply)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        farthest, distance = first, 0.0
        for index in range(first + 1, last):
            x, y = points[index]
            gap = abs(dy * (x - x1) - dx * (y - y1)) / length if length else math.hypot(x - x1, y - y1)
            if gap > distance:
                farthest, distance = index, gap
        if distance > tolerance:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def area(ring: list[tuple[float, float]]) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True))) / 2


def centroid(ring: list[tuple[float, float]]) -> tuple[float, float]:
    signed, cx, cy = 0.0, 0.0, 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        signed += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if not signed:
        return ring[0]
    return cx / (3 * signed), cy / (3 * signed)


def path_data(rings: list[list[tuple[float, float]]]) -> str:
    """SVG path data: each ring an absolute move, then relative lines in tenths of a pixel
    rounded cumulatively (so rounding never drifts), closed."""
    commands = []
    for ring in rings:
        points = [(round(x * 10), round(y * 10)) for x, y in ring]
        unique = [point for index, point in enumerate(points) if index == 0 or point != points[index - 1]]
        if unique[-1] == unique[0]:
            unique.pop()
        if len(unique) < 3:
            continue
        (x0, y0), text = unique[0], []
        text.append(f"M{_tenths(x0)} {_tenths(y0)}l")
        previous = unique[0]
        steps = []
        for x, y in unique[1:]:
            steps.append(f"{_tenths(x - previous[0])} {_tenths(y - previous[1])}")
            previous = (x, y)
        text.append(" ".join(steps).replace(" -", "-"))
        commands.append("".join(text) + "z")
    return "".join(commands)


def _tenths(value: int) -> str:
    text = f"{value / 10:.1f}".rstrip("0").rstrip(".")
    return text.replace("0.", ".", 1) if text.startswith(("0.", "-0.")) else text


# --- Putting it together ------------------------------------------------------------------------


def country_code(record: dict[str, str]) -> str | None:
    if record["iso_a3"] in LEFT_OUT:
        return None
    if record["name"] in BY_NAME:
        return BY_NAME[record["name"]]
    code = ALPHA3_TO_ALPHA2.get(record["iso_a3"])
    if code is None:
        raise SystemExit(f"No ISO alpha-2 code for {record['name']} ({record['iso_a3']}): add it to BY_NAME.")
    return code


def build(source: Path) -> dict:
    countries_dir, cities_dir = source / "naturalearth_lowres", source / "naturalearth_cities"
    records = read_dbf(countries_dir / "naturalearth_lowres.dbf")
    shapes = read_shapes(countries_dir / "naturalearth_lowres.shp")
    rings_of: dict[str, list[list[tuple[float, float]]]] = {}
    names: dict[str, str] = {}
    for record, parts in zip(records, shapes, strict=True):
        code = country_code(record)
        if code is None:
            continue
        names.setdefault(code, record["name"])
        for part in parts:
            ring = simplified([equal_earth(lon, lat) for lon, lat in part], TOLERANCE)
            rings_of.setdefault(code, []).append(ring)

    top = min(y for rings in rings_of.values() for ring in rings for _x, y in ring)
    bottom = max(y for rings in rings_of.values() for ring in rings for _x, y in ring)

    def shifted(point: tuple[float, float]) -> tuple[float, float]:
        return point[0], point[1] - top + 4

    places = {record["name"]: parts[0][0] for record, parts in _cities(cities_dir)}
    places.update(EXTRA_PLACES)
    entries: dict[str, dict] = {}
    for code, rings in sorted(rings_of.items()):
        rings = [[shifted(point) for point in ring] for ring in rings]
        largest = max(rings, key=area)
        kept = [ring for ring in rings if ring is largest or area(ring) >= SMALLEST_ISLAND]
        x, y = centroid(largest)
        entries[code] = {"name": names[code], "path": path_data(kept), "label": [round(x, 1), round(y, 1)]}
    for code, capital in sorted(CAPITALS.items()):
        if code in entries:
            raise SystemExit(f"{code} is drawn by 1:110m: remove it from CAPITALS.")
        if capital not in places:
            raise SystemExit(f"No populated place named {capital!r} for {code}.")
        x, y = shifted(equal_earth(*places[capital]))
        point = [round(x, 1), round(y, 1)]
        entries[code] = {"capital": capital, "dot": point, "label": point}

    missing = sorted((UN_MEMBER_STATES | UN_OBSERVER_STATES) - set(entries))
    if missing:
        raise SystemExit(f"Not on the map: {' '.join(missing)} — add their capitals to CAPITALS.")
    return {
        "source": "Natural Earth 1:110m Cultural Vectors (admin-0 countries; populated places), public domain",
        "projection": "Equal Earth",
        "width": WIDTH,
        "height": round(bottom - top + 8, 1),
        "countries": entries,
    }


def _cities(cities_dir: Path) -> zip:
    return zip(
        read_dbf(cities_dir / "naturalearth_cities.dbf"),
        read_shapes(cities_dir / "naturalearth_cities.shp"),
        strict=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="the folder holding naturalearth_lowres/ and naturalearth_cities/")
    parser.add_argument("--out", type=Path, default=REPOSITORY / "data" / "geometry" / "world-110m.json")
    arguments = parser.parse_args()
    world = build(arguments.source)
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text(json.dumps(world, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n")
    dots = sum(1 for entry in world["countries"].values() if "dot" in entry)
    print(
        f"{arguments.out}: {len(world['countries'])} countries ({dots} as dots at their capital), "
        f"{arguments.out.stat().st_size // 1024} KB"
    )


if __name__ == "__main__":
    main()
