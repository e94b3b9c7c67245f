"""The index page of a folder of maps (``templates/index.html``).

It links the theatre maps and lists the articles and the places named outside
every theatre.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pandas as pd

from .. import files
from ..theatres import Theatre
from ._basemap import GEONAMES_ATTRIBUTION, NE_ATTRIBUTION
from ._html import clean_text
from ._resources import render_template, static_text
from ._rows import Article, Articles, MentionRow, articles_of, display_name, mention_rows

__all__ = ["index_html", "write_index"]


@dataclass
class _Outside:
    """One place outside every theatre, with the articles naming it."""

    name: str
    country: str
    kind: str
    count: int = 0
    articles: list[str] = field(default_factory=list)


def _outside(rows: list[MentionRow], articles: list[Article]) -> list[_Outside]:
    """The places of ``rows`` grouped by gazetteer id (else name), country and kind."""
    titles = {a.id: a.title or a.url or a.id for a in articles}
    groups: dict[tuple[str, str, str], _Outside] = {}
    for row in rows:
        name = display_name(row)
        country, kind = clean_text(row["country"]), clean_text(row["kind"])
        key = (clean_text(row["gazetteer_id"]) or name, country, kind)
        group = groups.get(key)
        if group is None:
            group = groups[key] = _Outside(name, country, kind.replace("_", " "))
        group.count += 1
        aid = clean_text(row["article_id"])
        label = titles.get(aid) or clean_text(row["article_title"]) or aid
        if label and label not in group.articles:
            group.articles.append(label)
    return list(groups.values())


def _map_links(theatre_files: Sequence[tuple[Theatre, str, int]]) -> list[dict[str, Any]]:
    out = []
    for theatre, filename, n_places in theatre_files:
        name = clean_text(getattr(theatre, "title", "") or getattr(theatre, "id", ""))
        href = quote(clean_text(filename).replace(os.sep, "/"), safe="/")
        out.append({"href": href, "name": name, "count": int(n_places)})
    return out


def index_html(
    theatre_files: Sequence[tuple[Theatre, str, int]],
    outside: pd.DataFrame | None,
    articles: Articles = None,
    *,
    title: str = "frontmap",
) -> str:
    """The HTML of the index page.

    Parameters
    ----------
    theatre_files, outside, articles
        As for :func:`write_index`.
    title : str
        Title of the page.

    Returns
    -------
    str
        The HTML document (the same input gives the same text).

    Raises
    ------
    frontmap.errors.InputError
        When ``outside`` is not a frame of mention rows, or a date cannot be read.
    """
    article_list = articles_of(articles)
    return render_template(
        "index.html",
        title=title,
        css=static_text("index.css"),
        geonames=GEONAMES_ATTRIBUTION,
        natural_earth=NE_ATTRIBUTION,
        maps=_map_links(theatre_files),
        articles=article_list,
        outside=_outside(mention_rows(outside, "outside"), article_list),
    )


def write_index(
    path: str | os.PathLike[str],
    theatre_files: Sequence[tuple[Theatre, str, int]],
    outside: pd.DataFrame | None,
    articles: Articles = None,
) -> None:
    """Write index.html: links to the theatre maps and the places outside them.

    Parameters
    ----------
    path : str or PathLike
        Output file (written atomically).
    theatre_files : list of (Theatre, filename, n_places)
        One entry per map written; ``filename`` relative to the index.
    outside : DataFrame
        Mention rows (see :mod:`frontmap.schema`) outside every theatre; listed
        grouped by place with name, country, kind, count and the articles
        naming them.
    articles : DataFrame or iterable of mappings/objects, optional
        Articles (``id``, ``title``, ``date``, ``url``; see
        :func:`maps._rows.articles_of`) listed on the page; the article titles
        of ``outside`` are used for articles not listed.

    Raises
    ------
    frontmap.errors.InputError
        As :func:`index_html`.
    frontmap.errors.OutputError
        When the file cannot be written.
    """
    files.write_text(path, index_html(theatre_files, outside, articles))
