"""export.py: standalone pages, fragments, iframes, and writing them (through frontmap.files)."""

from __future__ import annotations

import html
import os
import re

import pytest
from maps_testdata import draw_data, hostile_places, make_places

from frontmap.errors import OutputError
from frontmap.maps import (
    fragment_assets,
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
    # Nothing is added to the host page's styles: the CSS goes into the map's shadow root.
    assert "<style" not in fa and "<link" not in fa
    assert "if (!window.L) {" in fa and fa.startswith(fragment_assets())
    assert "L.markerClusterGroup" in fa and "L.markerClusterGroup" not in fb
    ids_a = set(re.findall(r'id="([^"]+)"', fa))
    ids_b = set(re.findall(r'id="([^"]+)"', fb))
    assert ids_a == {a.get_name()} and ids_b == {b.get_name()} and not ids_a & ids_b
    # The host box is guarded against the page's rules, and mounts when the assets run.
    host = re.search(r'<div class="frontmap-embed" id="[^"]+" role="figure"[^>]*>', fb).group(0)
    assert "height:clamp(380px, 75vh, 640px) !important" in host
    assert "padding:0 !important" in host and "box-sizing:border-box !important" in host
    assert fb.endswith("});</script>") and "window.frontmapQueue" in fb
    assert f'frontmap.mount("{b.get_name()}", ' in fb
    assert map_fragment(a) == fa


def test_fragment_assets_hold_one_copy_of_each_library():
    assets = fragment_assets()
    assert assets.count("<script>") == 3
    assert "window.frontmapCSS = window.frontmapCSS || " in assets
    assert ".leaflet-pane" in assets and ".frontmap .fm-box" in assets  # the CSS, as a string


def test_iframe_with_src_is_a_short_responsive_snippet(theatre, places):
    m = render_theatre(theatre, places, None)
    snippet = map_iframe(m, src="maps/idlib.html")
    assert snippet.startswith('<iframe src="maps/idlib.html" title="Idlib and northwest Syria')
    assert len(snippet) < 400
    assert "aspect-ratio:4/3" in snippet and "max-height:85vh" in snippet
    assert 'loading="lazy"' in snippet and "allow-same-origin" not in snippet
    assert 'src="&quot;' in map_iframe(m, src='"><script>')


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
