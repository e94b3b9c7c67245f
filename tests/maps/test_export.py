"""export.py: standalone pages, fragments, iframes, and writing them (through frontmap.files)."""

from __future__ import annotations

import html
import os
import re

import pytest
from maps_testdata import draw_data, hostile_places, make_places

from frontmap.errors import OutputError
from frontmap.maps import (
    map_fragment,
    map_html,
    map_iframe,
    render_theatre,
    write_map,
)


def test_write_map_writes_the_page_atomically(tmp_path, theatre, places, layers_gdf):
    m = render_theatre(theatre, places, layers_gdf)
    target = tmp_path / "idlib.html"
    write_map(m, target)
    assert target.read_text(encoding="utf-8") == map_html(m)
    assert os.listdir(tmp_path) == ["idlib.html"]  # no temporary file left
    mask = os.umask(0o022)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask
    with pytest.raises(OutputError):
        write_map(m, tmp_path / "missing" / "x.html")


def test_fragment_has_no_page_styles_and_unique_ids(theatre, places, layers_gdf):
    a = render_theatre(theatre, places, layers_gdf)
    b = render_theatre(theatre, places.iloc[:1], layers_gdf)
    fa, fb = map_fragment(a), map_fragment(b, include_assets=False)
    assert "<html" not in fa and "<body" not in fa and "html, body" not in fa
    assert "if (!window.L) {" in fa
    assert "L.markerClusterGroup" in fa and "L.markerClusterGroup" not in fb
    ids_a = set(re.findall(r'id="([^"]+)"', fa))
    ids_b = set(re.findall(r'id="([^"]+)"', fb))
    assert ids_a and ids_b and not ids_a & ids_b
    vars_a = set(re.findall(r"var (\w+) =", fa.split("frontmap_js", 1)[-1]))
    # Every top-level name a fragment declares carries its map's key.
    key_a = a.get_name().split("_")[1]
    assert all(
        key_a in v for v in re.findall(r"^\s*var (\w+) = ", fa.rsplit("<script>", 1)[1], re.M)
    )
    assert vars_a
    # Styles are scoped to the map element.
    css = re.search(r"<style>\s*(#map_[^<]*)</style>", fa).group(1)
    selectors = [s for s in re.findall(r"([^{}]+)\{", css)]
    assert all(sel.strip().startswith("#" + a.get_name()) for sel in ",".join(selectors).split(","))
    assert map_fragment(a) == fa


def test_iframe_srcdoc_is_escaped(theatre, layers_gdf):
    m = render_theatre(theatre, hostile_places(), layers_gdf)
    frame = map_iframe(m, height="400px")
    assert frame.startswith("<iframe ") and frame.endswith("></iframe>")
    srcdoc = re.search(r'srcdoc="([^"]*)"', frame).group(1)
    assert "<" not in srcdoc and '"' not in srcdoc
    assert html.unescape(srcdoc) == map_html(m)
    assert 'sandbox="allow-scripts' in frame
    assert "allow-same-origin" not in frame


def test_map_draw_data_round_trips(theatre):
    data = draw_data(map_html(render_theatre(theatre, make_places(), None)))
    assert data["articles"] == [
        {
            "date": "2020-02-05",
            "label": "Overnight shelling near Saraqib",
            "url": "https://example.org/a1",
        },
        {"date": "2020-02-20", "label": "Talks continue", "url": None},
    ]


# --------------------------------------------------------------------------- static
