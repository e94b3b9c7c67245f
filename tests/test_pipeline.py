"""frontmap.pipeline: streaming, multi-process geoparsing, and the notebook functions."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import warnings

import pytest

from frontmap import geo, pipeline
from frontmap.errors import FrontmapError, InputError
from frontmap.geo.articles import Article
from frontmap.pipeline import (
    available_cores,
    geoparse,
    geoparse_articles,
    iter_geoparse,
    read_articles,
)

IDLIB = "Shelling hit Saraqib and Binnish overnight; families fled north towards Atmeh."
LIBYA = "Fighting near Tarhuna and Gharyan pushed families towards Tripoli."


def articles(n: int) -> list[Article]:
    day = dt.date(2020, 2, 27)
    return [
        Article(f"a{i}", IDLIB if i % 2 else LIBYA, day, f"t{i}", None, f"a{i}") for i in range(n)
    ]


def test_one_result_per_article_in_order() -> None:
    results = list(iter_geoparse(articles(5), jobs=1))
    assert [r.article.id for r in results] == ["a0", "a1", "a2", "a3", "a4"]
    assert all(r.parsed and not r.errors for r in results)
    row = results[1].rows[0]
    assert (
        row["surface"] == "Saraqib" and row["article_id"] == "a1" and row["article_title"] == "t1"
    )
    assert row["article_date"] == "2020-02-27" and row["date"] == dt.date(2020, 2, 27)
    assert row["sentence"].startswith("Shelling hit Saraqib") and row["sentence_start"] == 0
    assert row["theatre"] == "idlib" and row["control"] in ("government", "opposition")


def test_the_result_does_not_depend_on_jobs(monkeypatch) -> None:
    monkeypatch.setattr(pipeline, "BATCH_ITEMS", 2)  # many batches: the workers are used
    one = [(r.article.id, r.rows) for r in iter_geoparse(articles(9), jobs=1)]
    two = [(r.article.id, r.rows) for r in iter_geoparse(articles(9), jobs=2)]
    assert one == two


def test_workers_never_outnumber_the_cores_or_the_work(monkeypatch) -> None:
    monkeypatch.setattr(pipeline, "BATCH_ITEMS", 1)
    seen = []
    for _ in iter_geoparse(articles(3), jobs=1000):
        seen.append(len(multiprocessing.active_children()))
    assert 0 < max(seen) <= min(available_cores(), 3)
    assert multiprocessing.active_children() == []  # all gone at the end


def test_a_failing_window_is_reported_and_the_rest_goes_on(monkeypatch) -> None:
    real = geo.geoparse

    def flaky(text, gazetteer):
        if "TRIGGER" in text:
            raise ValueError("broken")
        return real(text, gazetteer)

    monkeypatch.setattr(geo, "geoparse", flaky)
    batch = articles(2) + [Article("bad", "TRIGGER Saraqib.", None, None, None, "in.jsonl:3")]
    results = list(iter_geoparse(batch, jobs=1))
    assert [r.parsed for r in results] == [True, True, False]
    assert results[2].errors == ["in.jsonl:3: internal error while geoparsing (ValueError: broken)"]
    with pytest.raises(FrontmapError, match="in.jsonl:3: internal error"):
        geoparse_articles(batch)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = geoparse_articles(batch, on_error="warn")
    assert len(caught) == 1 and "in.jsonl:3" in str(caught[0].message)
    assert set(frame["article_id"]) == {"a0", "a1"}
    assert len(geoparse_articles(batch, on_error="skip")) == len(frame)
    with pytest.raises(InputError, match="on_error"):
        geoparse_articles(batch, on_error="ignore")


def test_geoparse_one_text_at_its_date() -> None:
    before = geoparse("Shelling hit Saraqib.", "2019-06-01")
    after = geoparse("Shelling hit Saraqib.", "2020-03-10")
    assert before["control"].tolist() == ["opposition"]
    assert after["control"].tolist() == ["government"]
    assert after.crs.to_epsg() == 4326 and after.geometry.iloc[0].y == after["lat"].iloc[0]
    assert "theatre" not in geoparse("Shelling hit Saraqib.", join=False).columns


def test_read_articles(tmp_path) -> None:
    good = tmp_path / "a.txt"
    good.write_text(IDLIB, encoding="utf-8")
    missing = tmp_path / "none.txt"
    assert [a.id for a in read_articles([good], date="2020-02-27")] == ["a"]
    with pytest.raises(InputError, match="none.txt: no such file"):
        read_articles([good, missing])
    assert [a.id for a in read_articles([good, missing], on_error="skip")] == ["a"]


def test_events_do_not_depend_on_jobs(monkeypatch) -> None:
    monkeypatch.setattr(pipeline, "BATCH_ITEMS", 2)
    one = [(r.article.id, r.events) for r in iter_geoparse(articles(9), jobs=1)]
    two = [(r.article.id, r.events) for r in iter_geoparse(articles(9), jobs=2)]
    assert one == two
    assert one[1][1][0]["sub_event_type"] == "Shelling/artillery/missile attack"
    assert [r.events for r in iter_geoparse(articles(2), events=False)] == [None, None]


def test_events_of_a_long_text_are_read_per_window_with_whole_text_offsets(monkeypatch) -> None:
    from frontmap.geo import articles as articles_module

    monkeypatch.setattr(articles_module, "WINDOW_CHARS", 300)
    kinds = [
        "Government artillery shelled Ariha on February {}, killing three civilians.",
        "Rebels said they had retaken the village of Kafr Nabl on February {}.",
        "Russian jets struck a market in Sarmada on February {}.",
    ]
    text = "\n\n".join(kinds[k % 3].format(k + 1) for k in range(12))
    day = dt.date(2020, 2, 27)
    [result] = iter_geoparse([Article("long", text, day, None, None, "long")], jobs=1)
    assert len(result.events) == 12  # one per paragraph: windows hold whole paragraphs
    spans = {(r["start"], r["end"]) for r in result.rows}
    for e in result.events:
        assert text[e["start"] : e["end"]] == e["quote"]
        assert all(tuple(t) in spans for t in e["toponyms"])
    assert [e["location"] for e in result.events[:3]] == ["Ariha", "Kafr Nabl", "Sarmada"]
