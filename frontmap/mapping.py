"""Mention rows → theatre maps, an index page and a report: what ``frontmap map`` and
``frontmap report`` write, as library functions.

Every function takes the mention frame :func:`frontmap.geoparse_articles`
returns (or any frame with the columns of :mod:`frontmap.schema`, ``lat`` and
``lon`` at least) and the articles it came from.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import InputError, OutputError
from .files import write_text
from .geo.articles import Article
from .theatres import Theatre, all_theatres, get_theatre

__all__ = [
    "TheatreView",
    "check_outdir",
    "render_maps",
    "theatre_views",
    "write_maps",
    "write_report",
]

#: Static image formats of :func:`write_maps`.
STATIC_FORMATS = ("png", "svg", "pdf")
#: HTML variants of :func:`write_maps`: a standalone page, a fragment, an iframe.
EMBEDS = ("fragment", "iframe")


@dataclass(frozen=True)
class TheatreView:
    """One theatre's map content: its mentions, its layers, the date shown."""

    theatre: Theatre
    mentions: pd.DataFrame
    layers: Any  # GeoDataFrame of the layers valid on ``as_of``
    as_of: Any  # datetime.date or None


def _theatre(theatre: Theatre | str | None) -> Theatre | None:
    if theatre is None or isinstance(theatre, Theatre):
        return theatre
    return get_theatre(theatre)


def theatre_views(
    mentions: pd.DataFrame, theatre: Theatre | str | None = None
) -> Iterator[TheatreView]:
    """The theatres to map, each with its mentions and the layers of its date.

    Parameters
    ----------
    mentions : DataFrame
        Mention rows joined to the layers (a ``theatre`` column) with their ``date``.
    theatre : Theatre or str, optional
        Only this theatre, drawn even when no mention lies in it; by default
        every theatre some mention lies in.

    Yields
    ------
    TheatreView
        The date shown is the latest date among the theatre's mentions.
    """
    from .layers import layers_at

    only = _theatre(theatre)
    has_theatre = "theatre" in mentions.columns and len(mentions)
    for t in all_theatres():
        if only is not None and t.id != only.id:
            continue
        mine = mentions[mentions["theatre"] == t.id] if has_theatre else mentions.iloc[0:0]
        if mine.empty and only is None:
            continue
        dates = [d for d in mine["date"] if d is not None and d == d] if len(mine) else []
        as_of = max(dates) if dates else None
        yield TheatreView(t, mine, layers_at(as_of, theatre=t.id), as_of)


def render_maps(
    mentions: pd.DataFrame, *, theatre: Theatre | str | None = None, online: bool = False
) -> list[tuple[Theatre, Any]]:
    """One folium map per theatre the mentions touch (see :func:`theatre_views`).

    Returns
    -------
    list of (Theatre, folium.Map)
    """
    from .maps import render_theatre

    return [
        (v.theatre, render_theatre(v.theatre, v.mentions, v.layers, as_of=v.as_of, online=online))
        for v in theatre_views(mentions, theatre)
    ]


def _map_files(
    mentions: pd.DataFrame,
    theatre: Theatre | str | None,
    online: bool,
    embed: str | None,
    fmt: str | None,
) -> list[tuple[TheatreView, str, str | None]]:
    """(view, file name, HTML) of every map; the HTML is None for a static image."""
    from .maps import map_fragment, map_html, map_iframe, render_theatre

    out: list[tuple[TheatreView, str, str | None]] = []
    for v in theatre_views(mentions, theatre):
        if fmt:
            out.append((v, f"{v.theatre.id}.{fmt}", None))
            continue
        m = render_theatre(v.theatre, v.mentions, v.layers, as_of=v.as_of, online=online)
        if embed == "fragment":
            out.append((v, f"{v.theatre.id}.fragment.html", map_fragment(m)))
        elif embed == "iframe":
            out.append((v, f"{v.theatre.id}.iframe.html", map_iframe(m)))
        else:
            out.append((v, f"{v.theatre.id}.html", map_html(m)))
    return out


def check_outdir(outdir: str | os.PathLike[str]) -> None:
    """Raise OutputError when maps cannot be written into ``outdir`` (before any work)."""
    outdir = Path(outdir)
    if outdir.exists() and not outdir.is_dir():
        raise OutputError(f"{outdir}: exists and is not a directory")
    folder = outdir if outdir.exists() else outdir.absolute().parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise OutputError(f"{outdir}: cannot create directory (Not a directory)")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{outdir}: directory is not writable")


def write_maps(
    mentions: pd.DataFrame,
    outdir: str | os.PathLike[str],
    *,
    articles: Sequence[Article] = (),
    theatre: Theatre | str | None = None,
    online: bool = False,
    embed: str | None = None,
    format: str | None = None,  # noqa: A002 - the CLI's option name
) -> list[Path]:
    """Write one map per theatre and ``index.html`` into a folder: all of them or none.

    Parameters
    ----------
    mentions : DataFrame
        Mention rows joined to the layers (:func:`frontmap.geoparse_articles`).
    outdir : path
        The folder (created if missing). Files of the same names are replaced.
    articles : sequence of Article
        Listed on the index page.
    theatre : Theatre or str, optional
        Only this theatre's map.
    online : bool
        Offer OpenStreetMap tiles as an extra layer (the default map makes no
        network request).
    embed : {"fragment", "iframe"}, optional
        Write HTML to paste into a page instead of standalone pages.
    format : {"png", "svg", "pdf"}, optional
        Write static images instead of interactive maps.

    Returns
    -------
    list of Path
        The files written, the maps first and the index last.

    Raises
    ------
    frontmap.errors.InputError
        For an unknown theatre, embed or format, or ``embed`` with ``format``.
    frontmap.errors.OutputError
        When the folder cannot be written. Everything is rendered, then written
        to a temporary folder beside ``outdir`` and moved into place, so a
        failure leaves none of the new files.
    """
    if embed is not None and embed not in EMBEDS:
        raise InputError(f"embed: {embed!r} is not one of {', '.join(EMBEDS)}")
    if format is not None and format not in STATIC_FORMATS:
        raise InputError(f"format: {format!r} is not one of {', '.join(STATIC_FORMATS)}")
    if embed is not None and format is not None:
        raise InputError("embed and format cannot be used together (a static image is not HTML)")
    from .maps import export_static, place_count, write_index

    outdir = Path(outdir)
    check_outdir(outdir)
    files = _map_files(mentions, theatre, online, embed, format)
    with _Staging(outdir) as stage:
        written = []
        for v, name, html in files:
            if html is not None:
                write_text(stage.path / name, html)
            else:
                export_static(
                    v.theatre, v.mentions, v.layers, stage.path / name, format, as_of=v.as_of
                )
            written.append((v.theatre, name, place_count(v.mentions, v.theatre)))
        outside = mentions[mentions["theatre"].isna()] if len(mentions) else mentions
        write_index(stage.path / "index.html", written, outside, list(articles))
        names = [name for _, name, _ in files] + ["index.html"]
        return stage.commit(names)


class _Staging:
    """A temporary folder beside ``outdir`` whose files are moved into it at the end."""

    def __init__(self, outdir: Path) -> None:
        self.outdir = outdir
        parent = outdir.absolute().parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            self.path = Path(tempfile.mkdtemp(prefix=".frontmap-", dir=parent))
        except OSError as exc:
            raise OutputError(f"{outdir}: cannot write ({exc.strerror or exc})") from None

    def commit(self, names: list[str]) -> list[Path]:
        """Move the staged files into ``outdir``; return their final paths."""
        mode = _dir_mode()
        try:
            if not self.outdir.exists():
                os.chmod(self.path, mode)
                os.replace(self.path, self.outdir)
            else:
                if not os.access(self.outdir, os.W_OK):
                    raise OutputError(f"{self.outdir}: directory is not writable")
                for name in names:
                    if (self.outdir / name).is_dir():
                        raise OutputError(f"{self.outdir / name}: is a directory")
                for name in names:
                    os.replace(self.path / name, self.outdir / name)
        except OSError as exc:
            if isinstance(exc, OutputError):
                raise
            raise OutputError(f"{self.outdir}: cannot write ({exc.strerror or exc})") from None
        return [self.outdir / name for name in names]

    def __enter__(self) -> _Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def _dir_mode() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o777 & ~mask


def write_report(
    mentions: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    articles: Sequence[Article],
    title: str = "frontmap report",
    theatre: Theatre | str | None = None,
    online: bool = False,
    events: Any = None,
) -> Path:
    """Write one self-contained report: the articles with their places marked, the theatre
    maps, and a table of places with zone, control and km to the front.

    Parameters
    ----------
    mentions : DataFrame
        Mention rows joined to the layers, with ``sentence`` and offsets.
    path : path
        The report file (written whole or not at all).
    articles : sequence of Article
        The articles, with their text.
    title : str
        The report's title.
    theatre : Theatre or str, optional
        Only this theatre's map.
    online : bool
        Offer OpenStreetMap tiles as an extra layer.
    events : DataFrame, optional
        Event rows (:func:`frontmap.geoparse_events`), listed under each article.

    Returns
    -------
    Path
    """
    from .layers import load_layers
    from .maps import write_report as write_report_page

    maps_ = [m for _, m in render_maps(mentions, theatre=theatre, online=online)]
    every = load_layers()  # zone names of every date, for the table
    zone_names = {
        str(i): str(n) for i, n in zip(every["id"], every["name"], strict=True) if i and n
    }
    write_report_page(
        path, list(articles), mentions, maps_, title=title, zone_names=zone_names, events=events
    )
    return Path(path)
