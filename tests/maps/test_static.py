"""_static.py through export_static: PNG, SVG and PDF drawn with matplotlib."""

from __future__ import annotations

import pytest
from maps_testdata import HOSTILE, hostile_places

from frontmap.errors import RenderError
from frontmap.maps import export_static


@pytest.mark.parametrize("fmt, magic", [("png", b"\x89PNG"), ("svg", b"<?xml"), ("pdf", b"%PDF")])
def test_static_export_is_deterministic(tmp_path, theatre, places, layers_gdf, fmt, magic):
    first, second = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    export_static(theatre, places, layers_gdf, first, dpi=40, width_in=5)
    export_static(theatre, places, layers_gdf, second, fmt, dpi=40, width_in=5)
    data = first.read_bytes()
    assert data.startswith(magic)
    assert data == second.read_bytes()


def test_static_svg_has_legend_attribution_and_escaped_text(tmp_path, theatre, layers_gdf):
    import xml.etree.ElementTree as ET

    frame = hostile_places()
    frame.loc[0, "surface"] = "Price $5 and $x^2$ <b>"  # labels are the press form
    target = tmp_path / "map.svg"
    export_static(theatre, frame, layers_gdf, target, title=HOSTILE[0], as_of="2020-02-05")
    text = target.read_text(encoding="utf-8")
    root = ET.fromstring(text)  # well-formed XML
    ns = "{http://www.w3.org/2000/svg}"
    assert not list(root.iter(f"{ns}script")) and not list(root.iter(f"{ns}foreignObject"))
    words = " ".join("".join(t.itertext()) for t in root.iter(f"{ns}text"))
    assert HOSTILE[0] in words and "Price $5 and $x^2$ <b>" in words
    for needle in (
        "As of 2020-02-05",
        "GeoNames (CC BY 4.0)",
        "Natural Earth",
        "Test source B",
        "Front lines",
        "Syrian government and allies",
        "km",
    ):
        assert needle in words, needle


def test_static_export_rejects_unknown_format(tmp_path, theatre, places):
    with pytest.raises(RenderError):
        export_static(theatre, places, None, tmp_path / "map.gif")
    assert list(tmp_path.iterdir()) == []


def test_static_export_refuses_a_bad_as_of_and_unwritable_targets(tmp_path, theatre, places):
    from frontmap.errors import InputError, OutputError

    with pytest.raises(InputError, match="as_of"):
        export_static(theatre, places, None, tmp_path / "m.svg", as_of="soon")
    with pytest.raises(OutputError):
        export_static(theatre, places, None, tmp_path / "missing" / "m.svg", dpi=20, width_in=3)
    assert list(tmp_path.iterdir()) == []


def _figure_of(monkeypatch, draw):
    """The matplotlib figure a static export draws (recorded as it is saved)."""
    from matplotlib.figure import Figure

    saved = []
    original = Figure.savefig

    def record(self, *args, **kwargs):
        saved.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", record)
    draw()
    (figure,) = saved
    return figure


def test_labels_never_overlap_and_the_named_places_come_first(tmp_path, monkeypatch, theatre):
    from maps_testdata import area_places, make_layers

    figure = _figure_of(
        monkeypatch,
        lambda: export_static(theatre, area_places(), make_layers(), tmp_path / "m.png", dpi=60),
    )
    renderer = figure.canvas.get_renderer()
    ax = figure.axes[0]
    boxes = {}
    for text in ax.texts:  # each label is drawn twice, halo and text, at one place
        box = text.get_window_extent(renderer)
        boxes[(text.get_text(), round(box.x0), round(box.y0))] = box
    labels = list(boxes.items())
    for i, (key_a, a) in enumerate(labels):
        for key_b, b in labels[i + 1 :]:
            overlap = min(a.x1, b.x1) - max(a.x0, b.x0), min(a.y1, b.y1) - max(a.y0, b.y0)
            assert overlap[0] <= 1 or overlap[1] <= 1, (key_a[0], key_b[0])
    names = {key[0] for key in boxes}
    assert {"Saraqib", "Maarat al-Numan", "Binnish", "Jisr al-Shughur"} <= names  # press forms
    assert "NORTHWEST SYRIA" in names  # the region, as a label
    # the panel: an inset locator map and the legend, with the map's entries
    legend = figure.axes[2].get_legend()
    entries = [t.get_text() for t in legend.get_texts()]
    assert any(e.startswith("Region named") for e in entries)
    assert any(e.startswith("Observation posts") for e in entries)


@pytest.mark.parametrize(
    "options, inches",
    [
        (dict(paper="a4"), (297 / 25.4, 210 / 25.4)),
        (dict(paper="letter"), (11.0, 8.5)),
        (dict(size="180x120mm"), (180 / 25.4, 120 / 25.4)),
        (dict(size=(7.0, 5.0)), (7.0, 5.0)),
    ],
)
def test_page_sizes(tmp_path, monkeypatch, theatre, places, options, inches):
    target = tmp_path / "m.pdf"
    figure = _figure_of(
        monkeypatch,
        lambda: export_static(theatre, places, None, target, extent="places", **options),
    )
    w, h = figure.get_size_inches()
    if "paper" in options:  # turned to fit the map: these three places are taller than wide
        inches = (min(inches), max(inches))
    assert abs(w - inches[0]) < 0.01 and abs(h - inches[1]) < 0.01


def test_print_options_are_checked(tmp_path, theatre, places):
    from frontmap.errors import InputError

    for options in (dict(paper="a3"), dict(size="big"), dict(extent="north"), dict(dpi=5)):
        with pytest.raises(InputError):
            export_static(theatre, places, None, tmp_path / "m.png", **options)
    assert list(tmp_path.iterdir()) == []


def _svg_words(path) -> str:
    import xml.etree.ElementTree as ET

    root = ET.fromstring(path.read_text(encoding="utf-8"))
    ns = "{http://www.w3.org/2000/svg}"
    return " ".join("".join(t.itertext()) for t in root.iter(f"{ns}text"))


def test_static_maps_draw_the_events_up_to_their_day(tmp_path, theatre, places):
    from maps_testdata import make_events

    from frontmap.maps.styles import EVENT_STYLES

    plain, drawn, early = tmp_path / "plain.svg", tmp_path / "events.svg", tmp_path / "early.svg"
    export_static(theatre, places, None, plain, as_of="2020-02-20")
    export_static(theatre, places, None, drawn, as_of="2020-02-20", events=make_events())
    words = _svg_words(drawn)
    # Three events of this theatre (the Libyan one is on no Idlib map), each kind
    # in the legend with its count, and the count in the subtitle.
    assert "3 events" in words
    for kind, n in (("shelling", 1), ("strike", 1), ("agreement", 1)):
        assert f"{EVENT_STYLES[kind].label} ({n})" in words
    assert EVENT_STYLES["clash"].label not in words
    assert "events" not in _svg_words(plain) and plain.read_bytes() != drawn.read_bytes()
    # On an earlier day the later agreement is not drawn yet, as on the page.
    export_static(theatre, places, None, early, as_of="2020-02-10", events=make_events())
    words = _svg_words(early)
    assert "2 events" in words and EVENT_STYLES["agreement"].label not in words
    # The same bytes every time, from rows or a frame.
    import pandas as pd

    again = tmp_path / "again.svg"
    export_static(
        theatre, places, None, again, as_of="2020-02-20", events=pd.DataFrame(make_events())
    )
    assert again.read_bytes() == drawn.read_bytes()


def test_event_icons_are_obstacles_for_labels(tmp_path, theatre, places):
    """Two events at one point: one icon per kind side by side; labels keep clear of them."""
    from maps_testdata import make_events
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: F401

    from frontmap.maps import _static

    events = [e for e in make_events() if e["location"] == "Saraqib"]
    fx = _static._Projection(35.0, 36.0, 37.0, 38.0)
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4, 4))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(36.0, 38.0)
    ax.set_ylim(*sorted((fx(36.0, 35.0)[1], fx(38.0, 37.0)[1])))
    shown = _static.located_events(events, "idlib")
    boxes = _static._draw_events(ax, shown, fx)
    assert len(boxes) == 1  # one point
    ((_xy, (x0, y0, x1, y1)),) = boxes
    assert x0 > 0 and y0 > 0 and x1 - x0 > 2 * _static._EVENT_PT  # two icons, up and right
    assert len(ax.lines) == 4  # a shape and a glyph per kind: one artist each, not per event
