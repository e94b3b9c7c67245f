"""frontmap.mapping: theatre maps and the index as one set, and the report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from frontmap.errors import InputError, OutputError
from frontmap.geo.articles import Article
from frontmap.mapping import StaticOptions, theatre_rows, theatre_views, write_maps, write_report
from frontmap.pipeline import geoparse_articles

REPO_EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

ARTICLES = [
    Article("i", "Shelling hit Saraqib and Ariha.", dt.date(2020, 2, 27), "Idlib", None, "i"),
    Article("l", "Clashes near Tarhuna and Gharyan.", dt.date(2019, 6, 1), "Libya", None, "l"),
]


@pytest.fixture(scope="module")
def mentions():
    return geoparse_articles(ARTICLES)


def test_views_per_theatre_at_their_dates(mentions) -> None:
    views = {v.theatre.id: v for v in theatre_views(mentions)}
    assert sorted(views) == ["idlib", "libya"]
    assert views["idlib"].as_of == dt.date(2020, 2, 27)
    assert set(views["libya"].mentions["surface"]) == {"Tarhuna", "Gharyan"}
    assert len(views["libya"].layers) and set(views["libya"].layers["theatre"]) == {"libya"}
    only = list(theatre_views(mentions, "caucasus"))  # asked for: drawn even when empty
    assert len(only) == 1 and only[0].mentions.empty


def test_views_hold_the_layers_of_their_events_days(mentions) -> None:
    """An event dated before its article: the map's date control steps to its day,
    so the areas of control holding then are among the view's layers."""
    event = {"theatre": "idlib", "latitude": 35.86, "longitude": 36.8, "event_date": "2020-02-15"}
    plain = {v.theatre.id: v for v in theatre_views(mentions)}["idlib"].layers
    early = {v.theatre.id: v for v in theatre_views(mentions, events=[event])}["idlib"]
    day = dt.date(2020, 2, 15)

    def control_on(frame):
        held = (frame["valid_from"] <= day) & (
            frame["valid_to"].isna() | (frame["valid_to"] >= day)
        )
        return frame[(frame["kind"] == "control") & held]

    assert control_on(plain).empty
    assert not control_on(early.layers).empty
    assert early.as_of == dt.date(2020, 2, 27)  # the day shown is still the article's
    libya = {v.theatre.id: v for v in theatre_views(mentions, events=[event])}["libya"]
    assert len(libya.layers) == len(
        {v.theatre.id: v for v in theatre_views(mentions)}["libya"].layers
    )  # another theatre's event changes nothing


def test_an_article_is_on_the_maps_of_the_places_it_names() -> None:
    """Not on the map of a country it only mentions (Syria's point lies in the Idlib view)."""
    articles = [
        *ARTICLES,
        Article("x", "In Syria, talks; in Tripoli, calm.", dt.date(2020, 3, 1), "X", None, "x"),
    ]
    frame = geoparse_articles(articles)
    masks = theatre_rows(frame)
    assert set(frame[masks["idlib"]]["article_id"]) == {"i"}
    assert set(frame[masks["libya"]]["article_id"]) == {"l", "x"}
    syria = frame[(frame["article_id"] == "x") & (frame["surface"] == "Syria")].iloc[0]
    assert syria["theatre"] == "idlib"  # its theatre, but no place of it: not on that map
    assert syria["control"] is None and syria["front_km"] is None  # an area: no control
    # an article of countries only is on the map of their theatre
    only = geoparse_articles([Article("a", "Armenia and Azerbaijan.", None, "A", None, "a")])
    assert set(theatre_rows(only)) == {"caucasus"}
    # a region of a theatre brings its article there
    region = geoparse_articles(
        [Article("b", "In Tripoli, calm; in Nagorno-Karabakh, shelling.", None, "B", None, "b")]
    )
    assert set(theatre_rows(region)) == {"caucasus", "libya"}


def test_fragment_and_iframe_sets(tmp_path, mentions) -> None:
    written = write_maps(mentions, tmp_path / "f", articles=ARTICLES, embed="fragment")
    assert [p.name for p in written] == [
        "idlib.fragment.html",
        "libya.fragment.html",
        "frontmap-assets.html",
        "index.html",
    ]
    fragment = (tmp_path / "f" / "idlib.fragment.html").read_text(encoding="utf-8")
    # no library code in a fragment; its data is the base map of the theatre's whole
    # reach (all of Syria: ~60 kB), the layers of the day and the places
    assert "L.markerClusterGroup" not in fragment and len(fragment) < 160_000
    assert "if (!window.L)" in (tmp_path / "f" / "frontmap-assets.html").read_text(encoding="utf-8")
    written = write_maps(mentions, tmp_path / "i", articles=ARTICLES, embed="iframe")
    assert [p.name for p in written][:2] == ["idlib.html", "idlib.iframe.html"]
    snippet = (tmp_path / "i" / "idlib.iframe.html").read_text(encoding="utf-8")
    assert snippet.startswith('<iframe src="idlib.html" ') and len(snippet) < 400


def test_static_options_and_title(tmp_path, mentions) -> None:
    options = StaticOptions(paper="letter", dpi=40, extent="places")
    written = write_maps(
        mentions, tmp_path, format="pdf", theatre="libya", title="This week", static=options
    )
    pdf = written[0].read_bytes()
    assert b"/MediaBox [ 0 0 792 612 ]" in pdf  # US letter, landscape
    with pytest.raises(InputError, match="options of static images"):
        write_maps(mentions, tmp_path, static=options)


def test_write_maps_writes_the_whole_set(tmp_path, mentions) -> None:
    written = write_maps(mentions, tmp_path / "new", articles=ARTICLES)
    assert [p.name for p in written] == ["idlib.html", "libya.html", "index.html"]
    assert sorted(p.name for p in (tmp_path / "new").iterdir()) == sorted(p.name for p in written)
    index = (tmp_path / "new" / "index.html").read_text(encoding="utf-8")
    assert "idlib.html" in index and "Libya" in index


def test_a_failed_set_writes_nothing(tmp_path, mentions) -> None:
    out = tmp_path / "maps"
    out.mkdir()
    (out / "index.html").write_text("old index", encoding="utf-8")
    (out / "libya.html").mkdir()  # in the way of one of the files
    with pytest.raises(OutputError, match="libya.html: is a directory"):
        write_maps(mentions, out, articles=ARTICLES)
    assert (out / "index.html").read_text(encoding="utf-8") == "old index"
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "libya.html"]
    assert [p.name for p in tmp_path.iterdir()] == ["maps"]  # no staging folder left


def test_options_that_cannot_go_together(tmp_path, mentions) -> None:
    with pytest.raises(InputError, match="embed and format cannot be used together"):
        write_maps(mentions, tmp_path, embed="fragment", format="png")
    with pytest.raises(InputError, match="unknown theatre 'mars'"):
        write_maps(mentions, tmp_path, theatre="mars")
    with pytest.raises(OutputError, match="exists and is not a directory"):
        write_maps(mentions, __file__)


def test_report(tmp_path, mentions) -> None:
    path = write_report(mentions, tmp_path / "r.html", articles=ARTICLES, title="Week <1>")
    page = path.read_text(encoding="utf-8")
    assert "Week &lt;1&gt;" in page and "Saraqib" in page and "Tarhuna" in page


def test_a_move_failing_half_way_puts_the_earlier_maps_back(
    tmp_path, mentions, monkeypatch
) -> None:
    """Fault injection: the disk refuses the second move into the folder (ENOSPC)."""
    import errno
    import os

    import frontmap.mapping as mapping

    out = tmp_path / "maps"
    out.mkdir()
    for name in ("idlib.html", "index.html", "notes.txt"):
        (out / name).write_text(f"earlier {name}", encoding="utf-8")
    real_replace = os.replace
    moves = []

    def replace(src, dst):
        if os.path.dirname(os.fspath(dst)) == os.fspath(out) and ".frontmap-" in os.fspath(src):
            moves.append(os.path.basename(os.fspath(dst)))
            if len(moves) == 2:
                raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(mapping.os, "replace", replace)
    with pytest.raises(OutputError, match="No space left on device.*left as it was"):
        write_maps(mentions, out, articles=ARTICLES)
    monkeypatch.undo()
    # idlib.html was replaced, libya.html failed, and the earlier idlib.html was put back.
    assert moves == ["idlib.html", "libya.html", "idlib.html"]
    assert {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()} == {
        name: f"earlier {name}" for name in ("idlib.html", "index.html", "notes.txt")
    }
    assert [p.name for p in tmp_path.iterdir()] == ["maps"]  # no staging folder left


def test_a_staging_folder_left_by_a_killed_run_is_removed(tmp_path, mentions) -> None:
    import os
    import subprocess
    import time

    gone = subprocess.Popen(["true"])  # a process that has ended: its pid runs nothing
    gone.wait()
    stale = tmp_path / f".frontmap-{gone.pid}-abcd1234"
    stale.mkdir()
    (stale / "idlib.html").write_text("half", encoding="utf-8")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    mine = tmp_path / f".frontmap-{os.getpid()}-live"  # this process's own: left alone
    mine.mkdir()
    write_maps(mentions, tmp_path / "maps", articles=ARTICLES)
    assert sorted(p.name for p in tmp_path.iterdir()) == [mine.name, "maps"]


def test_the_library_never_writes_over_an_article(tmp_path) -> None:
    from frontmap.datafiles import write_mentions
    from frontmap.pipeline import read_articles

    page = tmp_path / "index.html"
    page.write_text("<html><body><p>Shelling hit Saraqib.</p></body></html>", encoding="utf-8")
    records = tmp_path / "a.jsonl"
    records.write_text('{"id": "a", "text": "Clashes near Tarhuna."}\n', encoding="utf-8")
    articles = read_articles([page, records])
    frame = geoparse_articles(articles)
    with pytest.raises(OutputError, match="index.html: is also an input"):
        write_maps(frame, tmp_path, articles=articles)
    with pytest.raises(OutputError, match="a.jsonl: is also an input"):
        write_mentions(frame, records, articles=articles)  # its article says "a.jsonl:1"
    with pytest.raises(OutputError, match="index.html: is also an input"):
        write_report(frame, page, articles=articles)
    assert "Saraqib" in page.read_text(encoding="utf-8") and "Tarhuna" in records.read_text()


def test_actors_are_labelled_as_on_the_day(tmp_path) -> None:
    """The GNA became the GNU on 15 March 2021, the Syrian government the transitional one on
    8 December 2024: the legend, the places' popups and the report's table say so."""
    articles = [
        Article("l", "Clashes near Tarhuna and Gharyan.", dt.date(2022, 9, 1), "L", None, "l"),
        Article("s", "A visit to Hama and Homs.", dt.date(2025, 3, 1), "S", None, "s"),
    ]
    rows = geoparse_articles(articles)
    write_maps(rows, tmp_path / "maps", articles=articles)
    libya = (tmp_path / "maps" / "libya.html").read_text(encoding="utf-8")
    assert "Government of National Unity (formerly the GNA)" in libya
    assert "Government of National Accord" not in libya.replace("formerly the GNA", "")
    syria = (tmp_path / "maps" / "idlib.html").read_text(encoding="utf-8")
    assert "Syrian transitional government" in syria and "government and allies" not in syria
    report = write_report(rows, tmp_path / "r.html", articles=articles)
    text = report.read_text(encoding="utf-8")
    assert "Government of National Unity (formerly the GNA)" in text


def test_views_of_your_own_layers(tmp_path) -> None:
    from frontmap.layers import combine_layers

    mine = combine_layers([REPO_EXAMPLES / "my_layers.geojson"], only=True)
    rows = geoparse_articles(ARTICLES[:1], layers=mine)
    views = list(theatre_views(rows, layers=mine))
    assert [v.theatre.id for v in views] == ["idlib"]
    assert set(views[0].layers["id"]) == {"example.zone.saraqib-watch"}
    assert set(rows["zones"].map(tuple)) <= {("example.zone.saraqib-watch",), ()}
