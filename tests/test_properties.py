"""Property tests (hypothesis) on what users feed frontmap.

* name folding is idempotent, on the scripts and marks place names come in;
* every toponym offset indexes the text, ``text[start:end] == surface``, also
  when a text is cut into windows and resolved part by part, as the CLI does
  for big texts;
* no article text reaches a map's HTML unescaped, and the popup gives the
  sentence back as text.
"""

from __future__ import annotations

import json
import re
import string
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import frontmap.cli as cli
from frontmap.geo import geoparse
from frontmap.geo.articles import text_windows
from frontmap.geo.names import fold

# -- folding -----------------------------------------------------------------

NAME_CHARS = (
    string.ascii_letters
    + " -'’ʼ`.,()"
    + "ŞşİıĞğÇçÖöÜüƏəÂâÎîÛûĀāĪīŪūḤḥṢṣṬṭẒẓʿʾ"
    + "حلبإدلبسراقبطرابلسأ"
    + "ÅåÆæØøßŁłŒœﬁﬂ"
    + "\u0301\u0308\u0327\u200b\u200d\u00a0\u2009"
    + "ＡＢｃ１２"
)


@settings(max_examples=300)
@given(st.text(alphabet=NAME_CHARS, max_size=40))
def test_fold_is_idempotent_on_place_name_scripts(name: str) -> None:
    once = fold(name)
    assert fold(once) == once


# -- offsets -------------------------------------------------------------------

WORDS = [
    "Idlib",
    "Saraqib",
    "Maarat al-Numan",
    "Tarhuna",
    "Stepanakert",
    "Shusha",
    "near",
    "the",
    "shelled",
    ",",
    ".",
    "!",
    "?",
    "\n",
    "\n\n",
    "\r\n",
    "İdlib",
    "ﬁ",
    "’s",
    "e\u0301",
    "\u2028",
    "\t",
]

text_with_places = st.lists(
    st.one_of(st.sampled_from(WORDS), st.text(max_size=6)), max_size=40
).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(text_with_places)
def test_offsets_index_arbitrary_text(gazetteer, text: str) -> None:
    for t in geoparse(text, gazetteer):
        assert text[t.start : t.end] == t.surface


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text_with_places, st.integers(min_value=2, max_value=60), st.integers(1, 4))
def test_offsets_survive_windows_and_bounded_resolution(
    gazetteer, text: str, size: int, most: int
) -> None:
    for offset, window in text_windows([text], size):
        assert text[offset : offset + len(window)] == window
        for t in geoparse(window, gazetteer, max_mentions=most):
            assert window[t.start : t.end] == t.surface
            assert text[offset + t.start : offset + t.end] == t.surface
            assert t.sentence_start <= t.start < t.end <= t.sentence_end


# -- HTML escaping ---------------------------------------------------------------

HOSTILE = [
    "<script>",
    "</script>",
    "</SCRIPT >",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "javascript:alert(1)",
    "onerror=",
    "<!--",
    "-->",
    "<!",
    "]]>",
    "</",
    "</style>",
    "</textarea>",
    "<iframe src=//x>",
    '"',
    "'",
    "`",
    "&",
    "&amp;",
    "&lt;",
    "&#60;",
    "\\",
    "\\u003c",
    "${alert(1)}",
    "\u2028",
    "\u2029",
    "{{ 7*7 }}",
    "{% if true %}",
    "{# c #}",
    "{{ cycler.__init__.__globals__.os.name }}",
]

hostile_text = st.lists(
    st.one_of(
        st.sampled_from(HOSTILE),
        st.text(alphabet=string.ascii_lowercase + " ,;:-0123456789", max_size=8),
        st.text(max_size=4),
    ),
    min_size=1,
    max_size=10,
).map("".join)


_ID = re.compile(r"\bmap_[0-9a-f]+")


class _Page(HTMLParser):
    """Start tags (with attributes) and text of an HTML page or fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple[tuple[str, str | None], ...]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # Element ids are a hash of the content: the same page has other ids.
        self.tags.append((tag, tuple((k, _ID.sub("ID", v or "")) for k, v in attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def draw_payload(page: str) -> dict[str, Any]:
    """The JSON object the page hands to ``frontmap.draw`` (as in the maps tests)."""
    match = re.search(
        r"frontmap\.draw\(\s*[A-Za-z0-9_]+,\s*JSON\.parse\('((?:[^'\\]|\\.)*)'\)\);\n",
        page,
        re.DOTALL,
    )
    assert match, "no frontmap.draw call in the page"
    return json.loads(re.sub(r"\\(.)", lambda m: m.group(1), match.group(1), flags=re.DOTALL))


def strings_in(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings_in(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings_in(v)]
    return []


def write_map(folder: Path, text: str, title: str) -> tuple[str, str]:
    articles = folder / "in.jsonl"
    record = {"id": "h", "text": text, "title": title, "url": "javascript:alert(1)"}
    articles.write_text(json.dumps({**record, "date": "2020-02-27"}) + "\n", encoding="utf-8")
    out = folder / "out"
    code = cli.main(["map", str(articles), "-o", str(out), "--theatre", "idlib", "--jobs", "1"])
    assert code == 0
    return (
        (out / "idlib.html").read_text(encoding="utf-8"),
        (out / "index.html").read_text(encoding="utf-8"),
    )


def fragment_tags(page: str) -> set[str]:
    """Tag names in the HTML fragments (popups, legend) of the page's data."""
    return {
        tag for s in strings_in(draw_payload(page)) if "<" in s for tag, _ in parse_html(s).tags
    }


class _Quiet(tuple):
    """A tuple that hypothesis reports in a few characters."""

    def __repr__(self) -> str:
        return "<baseline>"


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> tuple[str, list, set, set[str]]:
    page, index = write_map(tmp_path_factory.mktemp("base"), "Shelling hit Saraqib today.", "t")
    # The index lists the places outside every theatre, when there are some.
    _, more = write_map(tmp_path_factory.mktemp("base"), "Saraqib. Talks in Ankara ended.", "t")
    index_tags = set(parse_html(index).tags) | set(parse_html(more).tags)
    return _Quiet((page, parse_html(page).tags, index_tags, fragment_tags(page)))


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(hostile_text)
def test_no_article_text_reaches_the_html_unescaped(
    tmp_path_factory, baseline, gazetteer, capsys, hostile: str
) -> None:
    from frontmap.maps._html import clean_text

    text = f"Shelling hit Saraqib {hostile} today."
    page, index = write_map(tmp_path_factory.mktemp("map"), text, hostile)
    capsys.readouterr()
    base_page, base_tags, index_tags, popup_tags = baseline
    # The pages have the elements of a harmless page: the article opened or closed none.
    assert parse_html(page).tags == base_tags
    assert set(parse_html(index).tags) <= index_tags  # the index lists what it finds
    # What ends a script or opens a comment never appears verbatim from the article.
    for raw in ("</script", "</SCRIPT", "<!--", "</style"):
        if raw in hostile:
            assert page.count(raw) == base_page.count(raw), raw
    for raw in ("<img", "<svg/", "<iframe", '<a href="javascript', "<script"):
        if raw in hostile:
            assert raw not in index, raw
    # The payload handed to the map's script parses back; the strings in it are
    # either the article's own text (data, for textContent) or HTML fragments
    # made of frontmap's own tags, with the article's text escaped inside.
    sources = (text, hostile)
    shown: list[str] = []
    for s in strings_in(draw_payload(page)):
        if any(clean_text(s) in clean_text(src) for src in sources) or "<" not in s:
            shown.append(s)
            continue
        parsed = parse_html(s)
        for tag, attrs in parsed.tags:
            assert tag in popup_tags, tag  # only tags a harmless map has too
            for name, value in attrs:
                assert not name.startswith("on"), name
                if name == "href":
                    assert value and value.startswith(("http://", "https://")), value
        shown.append("".join(parsed.text))
    for t in geoparse(text, gazetteer):
        if t.surface == "Saraqib":
            sentence = clean_text(text[t.sentence_start : t.sentence_end]).strip()
            assert any(sentence in s for s in shown)
