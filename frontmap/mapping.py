"""Mention rows → theatre maps, an index page and a report: what ``frontmap map`` and
``frontmap report`` write, as library functions.

Every function takes the mention frame :func:`frontmap.geoparse_articles`
returns (or any frame with the columns of :mod:`frontmap.schema`, ``lat`` and
``lon`` at least) and the articles it came from.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .dates import parse_date
from .errors import InputError, OutputError
from .files import check_not_inputs, sweep_stale, temp_prefix, write_text
from .geo.articles import Article
from .theatres import Theatre, all_theatres, get_theatre

__all__ = [
    "ASSETS_FILE",
    "StaticOptions",
    "TheatreView",
    "check_outdir",
    "render_maps",
    "theatre_rows",
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
    layers: Any  # GeoDataFrame: the snapshots of the map's span (its first date to as_of)
    as_of: Any  # datetime.date or None
    coverage: Any = None  # GeoDataFrame: every layer, for the notes on days without control


def _theatre(theatre: Theatre | str | None) -> Theatre | None:
    if theatre is None or isinstance(theatre, Theatre):
        return theatre
    return get_theatre(theatre)


def _article_keys(mentions: pd.DataFrame) -> pd.Series:
    """Each row's article: its id, else its title (as the maps tell articles apart)."""
    keys = pd.Series([""] * len(mentions), index=mentions.index, dtype=object)
    for column in ("article_title", "article_id"):  # the id wins where both are given
        if column in mentions.columns:
            values = mentions[column]
            given = values.notna() & (values.astype(str) != "")
            keys[given] = values[given].astype(str)
    return keys


def theatre_rows(mentions: pd.DataFrame) -> dict[str, pd.Series]:
    """Which rows each theatre's map holds: a bool mask per theatre id.

    An article belongs to a theatre's map when it names a place or a region of
    the theatre, not only its country: a Libya article that mentions Syria
    does not join the Idlib map, but an article naming Saraqib, Jabal
    al-Zawiya or "northwest Syria" does (the regions drawn as areas). An
    article that names nothing in any theatre but countries ("Armenia and
    Azerbaijan") belongs to the theatres of those countries. The map of a
    theatre holds the rows of its articles that lie in it.

    Parameters
    ----------
    mentions : DataFrame
        Mention rows joined to the layers (``theatre``, ``kind``,
        ``precision``, ``article_id``...).

    Returns
    -------
    dict
        Theatre id → bool Series over ``mentions``, for the theatres that hold
        at least one article.
    """
    if "theatre" not in mentions.columns or not len(mentions):
        return {}
    theatre = mentions["theatre"]
    articles = _article_keys(mentions)
    located = theatre.notna()
    countries = mentions["kind"] == "country" if "kind" in mentions.columns else False
    places = located & ~countries
    with_places = set(articles[places])
    out: dict[str, pd.Series] = {}
    for tid in sorted({str(t) for t in theatre[located]}):
        here = theatre == tid
        members = set(articles[places & here])
        members |= set(articles[here]) - with_places  # articles of countries only
        if members:
            out[tid] = here & articles.isin(members)
    return out


def theatre_views(
    mentions: pd.DataFrame,
    theatre: Theatre | str | None = None,
    layers: Any = None,
    events: Any = None,
) -> Iterator[TheatreView]:
    """The theatres to map, each with its mentions and the layers of its date.

    Parameters
    ----------
    mentions : DataFrame
        Mention rows joined to the layers (a ``theatre`` column) with their ``date``.
    theatre : Theatre or str, optional
        Only this theatre, drawn even when no mention lies in it; by default
        every theatre whose map holds an article (:func:`theatre_rows`).
    layers : GeoDataFrame, optional
        The layers to draw from (:func:`frontmap.layers.combine_layers` for your
        own files); default: the shipped layers.
    events : DataFrame or list of dict, optional
        Event rows (:func:`frontmap.geoparse_events`): a map's date control
        steps through its events' days as well, so their layers are drawn too.

    Yields
    ------
    TheatreView
        The mentions are those of :func:`theatre_rows`; the date shown is the
        latest date among them; the layers are every snapshot holding on some
        day from the earliest date to the latest, of the mentions and of the
        theatre's events (the one in force at the start included), or the
        latest state when no date is known.
    """
    from .layers import layers_at, layers_between, load_layers

    only = _theatre(theatre)
    masks = theatre_rows(mentions)
    for t in all_theatres():
        if only is not None and t.id != only.id:
            continue
        mine = mentions[masks[t.id]] if t.id in masks else mentions.iloc[0:0]
        if mine.empty and only is None:
            continue
        dates = [d for d in mine["date"] if d is not None and d == d] if len(mine) else []
        as_of = max(dates) if dates else None
        if dates:
            read = [parse_date(d) for d in dates] + _event_days(events, t.id)
            days = [d for d in read if d is not None]
            drawn = layers_between(min(days), max(days), theatre=t.id, layers=layers)
        else:
            drawn = layers_at(None, theatre=t.id, layers=layers)
        every = load_layers() if layers is None else layers
        yield TheatreView(t, mine, drawn, as_of, every)


def _event_days(events: Any, theatre_id: str) -> list[dt.date | None]:
    """The days of a theatre's located events."""
    if events is None:
        return []
    from .maps._events import located_events

    return [parse_date(day) for *_, day in located_events(events, theatre_id) if day]


def _heading(theatre: Theatre, title: str | None, several: bool) -> str | None:
    """The title of one map of a set: the title given (with the theatre's when several)."""
    if title is None:
        return None
    return f"{title}: {theatre.title}" if several else title


def render_maps(
    mentions: pd.DataFrame,
    *,
    theatre: Theatre | str | None = None,
    online: bool = False,
    layers: Any = None,
    title: str | None = None,
    events: Any = None,
) -> list[tuple[Theatre, Any]]:
    """One folium map per theatre the mentions touch (see :func:`theatre_views`;
    ``layers``: the layers to draw, default the shipped ones).

    Parameters
    ----------
    title : str, optional
        The maps' title (followed by the theatre's when there are several).
    events : DataFrame or list of dict, optional
        Event rows (:func:`frontmap.geoparse_events`): each map draws those of
        its theatre.

    Returns
    -------
    list of (Theatre, folium.Map)
    """
    from .maps import render_theatre

    views = list(theatre_views(mentions, theatre, layers, events))
    return [
        (
            v.theatre,
            render_theatre(
                v.theatre,
                v.mentions,
                v.layers,
                as_of=v.as_of,
                online=online,
                title=_heading(v.theatre, title, len(views) > 1),
                coverage=v.coverage,
                events=events,
            ),
        )
        for v in views
    ]


#: The file of a fragment set that holds the shared assets (paste it once per page).
ASSETS_FILE = "frontmap-assets.html"


@dataclass(frozen=True)
class StaticOptions:
    """How static images are laid out (see :func:`frontmap.maps.export_static`)."""

    paper: str | None = None
    size: tuple[float, float] | str | None = None
    dpi: int = 150
    extent: str | tuple[float, float, float, float] | None = None


def _map_files(
    mentions: pd.DataFrame,
    theatre: Theatre | str | None,
    online: bool,
    embed: str | None,
    fmt: str | None,
    layers: Any = None,
    title: str | None = None,
    events: Any = None,
    counts: dict[int, int] | None = None,
) -> list[tuple[TheatreView, str, str | None]]:
    """(view, file name, HTML) of every file; the HTML is None for a static image.

    A fragment set is one fragment per map and the assets they share
    (:data:`ASSETS_FILE`); an iframe set is the standalone page of each map
    and a snippet pointing at it. ``counts`` receives the number of places of
    each rendered map (by ``id`` of its view), as :func:`maps.place_count` gives it.
    """
    from .maps import fragment_assets, map_fragment, map_html, map_iframe, render_theatre
    from .maps.render import map_info

    views = list(theatre_views(mentions, theatre, layers, events))
    out: list[tuple[TheatreView, str, str | None]] = []
    for v in views:
        heading = _heading(v.theatre, title, len(views) > 1)
        if fmt:
            out.append((v, f"{v.theatre.id}.{fmt}", None))
            continue
        m = render_theatre(
            v.theatre,
            v.mentions,
            v.layers,
            as_of=v.as_of,
            online=online,
            title=heading,
            coverage=v.coverage,
            events=events,
        )
        if counts is not None:
            counts[id(v)] = len(map_info(m).place_keys)
        tid = v.theatre.id
        if embed == "fragment":
            out.append((v, f"{tid}.fragment.html", map_fragment(m, include_assets=False)))
        elif embed == "iframe":
            out.append((v, f"{tid}.html", map_html(m)))
            out.append((v, f"{tid}.iframe.html", map_iframe(m, src=f"{tid}.html") + "\n"))
        else:
            out.append((v, f"{tid}.html", map_html(m)))
    if embed == "fragment" and out:
        out.append((out[0][0], ASSETS_FILE, fragment_assets() + "\n"))
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
    layers: Any = None,
    title: str | None = None,
    static: StaticOptions | None = None,
    events: Any = None,
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
        Write HTML to paste into a page instead of standalone pages:
        ``fragment`` writes ``<theatre>.fragment.html`` per map and
        ``frontmap-assets.html``, the scripts they share (paste it once per
        page); ``iframe`` writes each map's page and ``<theatre>.iframe.html``,
        a short ``<iframe src>`` snippet of responsive height.
    format : {"png", "svg", "pdf"}, optional
        Write static images instead of interactive maps.
    layers : GeoDataFrame, optional
        The layers to draw (:func:`frontmap.layers.combine_layers` for your own
        files); default: the shipped layers.
    title : str, optional
        The maps' title (followed by the theatre's when there are several).
    static : StaticOptions, optional
        Paper, size, dpi and extent of the static images (with ``format``).
    events : DataFrame or list of dict, optional
        Event rows (:func:`frontmap.geoparse_events`): each map (or static
        image) draws those of its theatre.

    Returns
    -------
    list of Path
        The files written, the maps first and the index last.

    Raises
    ------
    frontmap.errors.InputError
        For an unknown theatre, embed or format, ``embed`` with ``format``, or
        static options without ``format``.
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
    if static is not None and format is None:
        raise InputError("paper, size, dpi and extent are options of static images (format)")
    from .maps import export_static, place_count, write_index

    outdir = Path(outdir)
    check_outdir(outdir)
    static = static or StaticOptions()
    counts: dict[int, int] = {}  # the places of each map, known once it is rendered
    files = _map_files(
        mentions,
        theatre,
        online,
        embed,
        format,
        layers=layers,
        title=title,
        events=events,
        counts=counts,
    )
    several = len({id(v) for v, _, _ in files}) > 1
    names = [name for _, name, _ in files] + ["index.html"]
    check_not_inputs([outdir / name for name in names], _sources(articles))
    with _Staging(outdir) as stage:
        written = []
        for v, name, html in files:
            if html is not None:
                write_text(stage.path / name, html)
            else:
                export_static(
                    v.theatre,
                    v.mentions,
                    v.layers,
                    stage.path / name,
                    format,
                    as_of=v.as_of,
                    title=_heading(v.theatre, title, several),
                    paper=static.paper,
                    size=static.size,
                    dpi=static.dpi,
                    extent=static.extent,
                    events=events,
                )
            if name != ASSETS_FILE and not name.endswith(".iframe.html"):
                n = counts[id(v)] if id(v) in counts else place_count(v.mentions, v.theatre)
                written.append((v.theatre, name, n))
        write_index(stage.path / "index.html", written, _on_no_map(mentions, files), list(articles))
        return stage.commit(names)


def _on_no_map(
    mentions: pd.DataFrame, files: list[tuple[TheatreView, str, str | None]]
) -> pd.DataFrame:
    """The rows no written map holds: outside every theatre, or areas of articles on no map."""
    if not len(mentions):
        return mentions
    drawn = pd.Series(False, index=mentions.index)
    for v, _, _ in files:
        drawn[v.mentions.index] = True
    return mentions[~drawn.to_numpy()]


class _Staging:
    """A temporary folder whose files are moved into ``outdir`` at the end: all or none.

    It is ``.frontmap-PID-XXXX`` beside ``outdir`` (inside it when ``outdir``
    is a mount point, so that files move by renaming). A new ``outdir`` is the
    staged folder renamed. Into an existing one, each file replaces its
    namesake after the old file is kept aside (a hard link); if a move fails
    half-way, the files already moved are put back as they were. A process
    killed with SIGKILL leaves the staging folder, which the next run that
    writes beside it removes (:func:`frontmap.files.sweep_stale`).
    """

    def __init__(self, outdir: Path) -> None:
        self.outdir = outdir
        parent = outdir.absolute().parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            sweep_stale(parent)
            where = parent
            if outdir.is_dir() and os.stat(outdir).st_dev != os.stat(parent).st_dev:
                where = outdir
            self.path = Path(tempfile.mkdtemp(prefix=temp_prefix(), dir=where))
        except OSError as exc:
            raise OutputError(f"{outdir}: cannot write ({exc.strerror or exc})") from None

    def commit(self, names: list[str]) -> list[Path]:
        """Move the staged files into ``outdir``; return their final paths."""
        try:
            if not self.outdir.exists():
                os.chmod(self.path, _dir_mode())
                os.replace(self.path, self.outdir)
            else:
                self._replace_files(names)
        except OSError as exc:
            if isinstance(exc, OutputError):
                raise
            raise OutputError(f"{self.outdir}: cannot write ({exc.strerror or exc})") from None
        return [self.outdir / name for name in names]

    def _replace_files(self, names: list[str]) -> None:
        if not os.access(self.outdir, os.W_OK):
            raise OutputError(f"{self.outdir}: directory is not writable")
        for name in names:
            if (self.outdir / name).is_dir():
                raise OutputError(f"{self.outdir / name}: is a directory")
        kept = self.path / ".old"
        kept.mkdir()
        moved: list[tuple[str, bool]] = []  # (name, an old file was kept aside)
        try:
            for name in names:
                target = self.outdir / name
                old = os.path.lexists(target)
                if old:
                    _keep_aside(target, kept / name)
                os.replace(self.path / name, target)
                moved.append((name, old))
        except OSError as exc:
            _put_back(self.outdir, kept, moved)
            raise OutputError(
                f"{self.outdir}: cannot write ({exc.strerror or exc}); the folder is left as it was"
            ) from None

    def __enter__(self) -> _Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def _keep_aside(path: Path, copy: Path) -> None:
    """A second name (or a copy) of ``path``, so that replacing it can be undone."""
    try:
        os.link(path, copy, follow_symlinks=False)
    except OSError:
        shutil.copy2(path, copy, follow_symlinks=False)


def _put_back(outdir: Path, kept: Path, moved: list[tuple[str, bool]]) -> None:
    """Undo the moves of :meth:`_Staging._replace_files`, last first.

    Should that fail too, the earlier files are moved to a folder of their own
    beside ``outdir`` (``frontmap-earlier-NAME-PID``), named in the error.
    """
    failed = []
    for name, old in reversed(moved):
        try:
            if old:
                os.replace(kept / name, outdir / name)
            else:
                os.unlink(outdir / name)
        except OSError:
            failed.append(name)
    if failed:
        rescue = outdir.absolute().parent / f"frontmap-earlier-{outdir.name}-{os.getpid()}"
        try:
            os.replace(kept, rescue)
        except OSError:
            rescue = kept
        raise OutputError(
            f"{outdir}: cannot write, and could not put back {', '.join(failed)} "
            f"(the earlier files are in {rescue})"
        )


def _sources(articles: Sequence[Any]) -> list[str]:
    """The files the articles were read from (``source`` of :class:`Article`)."""
    return [s for a in articles if (s := getattr(a, "source", None)) and isinstance(s, str)]


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
    layers: Any = None,
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
    layers : GeoDataFrame, optional
        The layers to draw (default: the shipped ones).

    Returns
    -------
    Path
    """
    from .layers import load_layers
    from .maps import write_report as write_report_page

    check_not_inputs([path], _sources(articles))
    maps_ = [
        m
        for _, m in render_maps(
            mentions, theatre=theatre, online=online, layers=layers, events=events
        )
    ]
    every = load_layers() if layers is None else layers  # zone names of every date
    zone_names = {
        str(i): str(n) for i, n in zip(every["id"], every["name"], strict=True) if i and n
    }
    write_report_page(
        path, list(articles), mentions, maps_, title=title, zone_names=zone_names, events=events
    )
    return Path(path)
