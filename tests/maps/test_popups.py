"""_popups.py: the data a marker's popup is built from (through render_theatre)."""

from __future__ import annotations

import pandas as pd
from maps_testdata import draw_data, mention, popup_parts

from frontmap.maps import map_html, render_theatre


def test_popup_data_names_place_kind_and_quotes_with_marks(theatre, places, layers_gdf):
    data = draw_data(map_html(render_theatre(theatre, places, layers_gdf)))
    saraqib = popup_parts(data, 0)
    assert saraqib["name"] == "Saraqib" and saraqib["kind"] == "populated place"
    assert (saraqib["country"], saraqib["gazetteer_id"], saraqib["score"]) == ("SY", "163270", 0.87)
    assert saraqib["mentions"] == 2 and saraqib["more"] == 0
    (group,) = saraqib["groups"]
    # Two sentences name Saraqib: both quoted, each with the name marked.
    assert group["quotes"] == [
        "Shelling hit the outskirts of [[Saraqib]] overnight, a monitor said.",
        "Columns moved north along the highway from Maarat al-Numan towards [[Saraqib]].",
    ]
    assert group["control"] == "Syrian government and allies"
    assert group["front_km"] == 3.2
    assert group["zones"] == ["De-escalation zone"]  # zone id resolved to its name
    assert group["article"] == {
        "date": "2020-02-05",
        "label": "Overnight shelling near Saraqib",
        "url": "https://example.org/a1",
    }
    # The label is the spelling the article used; the gazetteer's name is in the popup.
    maarat = popup_parts(data, 1)
    assert maarat["name"] == "Maarat al-Numan" and maarat["gazetteer_name"] == "Ma'arrat an Nu'man"
    assert saraqib["gazetteer_name"] is None and saraqib["shape"] == 0  # a marker
    binnish = popup_parts(data, 2)
    assert binnish["articles"] == [0, 1]  # named in both articles
    assert binnish["groups"][1]["article"]["label"] == "Talks continue"
    assert binnish["groups"][1]["article"]["date"] == "2020-02-20"
    # Sentences are stored once however many places they name.
    assert len(data["places"]["sentences"]) == 4


def test_long_sentences_are_cut_around_the_mention_and_offsets_count_utf16(theatre):
    from frontmap.maps._popups import MAX_SENTENCE

    text = "x" * 900 + " 🚀 Saraqib " + "y" * 900
    rows = pd.DataFrame([mention(text, "Saraqib", "Saraqib", 35.86, 36.8)])
    rows.loc[0, "sentence"], rows.loc[0, "sentence_start"] = text, 0
    data = draw_data(map_html(render_theatre(theatre, rows, None)))
    (quote,) = data["places"]["rows"][0][4][5][0][4]
    stored = data["places"]["sentences"][quote[0]]
    assert stored.startswith("…") and stored.endswith("…")
    assert len(stored) == MAX_SENTENCE + 2
    # JavaScript indexes strings in UTF-16 code units: the rocket counts twice.
    a, b = quote[1:]
    assert stored.encode("utf-16-le")[2 * a : 2 * b].decode("utf-16-le") == "Saraqib"


def test_many_quotes_are_capped(theatre):
    from frontmap.maps._popups import MAX_QUOTES, MAX_QUOTES_PER_ARTICLE

    rows = []
    for k in range(12):
        text = f"Sentence {k} names Saraqib."
        rows.append(mention(text, "Saraqib", "Saraqib", 35.86, 36.8, gid="1", article=f"a{k // 4}"))
    data = draw_data(map_html(render_theatre(theatre, pd.DataFrame(rows), None)))
    popup = popup_parts(data, 0)
    shown = [len(g["quotes"]) for g in popup["groups"]]
    assert shown == [MAX_QUOTES_PER_ARTICLE, MAX_QUOTES_PER_ARTICLE, 2]
    assert sum(shown) == MAX_QUOTES and popup["more"] == 12 - MAX_QUOTES
    assert popup["mentions"] == 12 and popup["articles"] == [0, 1, 2]
