"""The report lists each article's events (issue 17); their text is escaped."""

from __future__ import annotations

from frontmap.maps import report_html

ARTICLES = [
    {"id": "a", "text": "Shelling hit the town on Monday.", "date": "2020-03-03"},
    {"id": "b", "text": "Nothing happened."},
]
HOSTILE = "<script>alert(1)</script>"
EVENTS = [
    {
        "article_id": "a",
        "event_date": "2020-03-02",
        "sub_event_type": "Shelling/artillery/missile attack",
        "actor1_name": "Military Forces of Syria",
        "actor2_name": None,
        "location": "Saraqib",
        "geo_precision": 1,
        "fatalities": 3,
        "quote": f"Shelling hit the town {HOSTILE}",
    }
]


def test_events_are_listed_under_their_article() -> None:
    html = report_html(ARTICLES, None, [], events=EVENTS)
    assert html.count('class="fm-events"') == 2
    assert "1 event<" in html and "0 events<" in html
    assert "<b>Shelling/artillery/missile attack</b> · Military Forces of Syria" in html
    assert "Saraqib (geo-precision 1) · 3 deaths" in html
    assert HOSTILE not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert report_html(ARTICLES, None, [], events=EVENTS) == html


def test_no_events_section_without_events() -> None:
    assert 'class="fm-events"' not in report_html(ARTICLES, None, [])
