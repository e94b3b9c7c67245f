"""Rows in, places and articles out: what every map, report and image is drawn from.

The mention rows (one per toponym mention, the columns of
:data:`frontmap.schema.MENTION_COLUMNS`) enter maps through
:func:`mention_rows`, which checks them once with
:func:`frontmap.schema.check_mentions`; everything here and downstream trusts
their types. The articles given beside them enter through :func:`articles_of`,
and the layers (validated by :mod:`frontmap.layers`) through
:func:`layer_features`.

Out come the records the outputs share:

* :class:`Place`: one marker of a map (a distinct place with its mentions);
* :class:`Article`: one article, with its text when known;
* :class:`NamedPlace`: one distinct place named in one article (a row of the
  report's table);
* :class:`Feature`: one layer feature.

Their text fields are display text: :func:`maps._html.clean_text` has removed
control characters and lone surrogates, the HTML-safety step that lets any of
them reach a page, a script's data or an image.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias, TypedDict

import pandas as pd
from shapely.geometry.base import BaseGeometry

from ..dates import iso_date
from ..errors import InputError, RenderError
from ..schema import check_mentions, is_area
from ._html import clean_text, is_missing
from ._labels import press_label

__all__ = [
    "Article",
    "Articles",
    "Feature",
    "MentionRow",
    "Mention",
    "NamedPlace",
    "Place",
    "articles_of",
    "display_name",
    "feature_subkind",
    "is_area_row",
    "layer_features",
    "map_day",
    "mention_rows",
    "named_places",
    "place_key",
    "places_and_articles",
]


class MentionRow(TypedDict):
    """One mention row as :func:`frontmap.schema.check_mentions` leaves it."""

    article_id: str | None
    start: int | None
    end: int | None
    surface: str | None
    name: str | None
    lat: float | None
    lon: float | None
    country: str | None
    kind: str | None
    gazetteer_id: str | None
    score: float | None
    precision: int | None
    sentence: str | None
    sentence_start: int | None
    article_title: str | None
    article_url: str | None
    article_date: str | None
    date: dt.date | None
    theatre: str | None
    zones: list[str]
    control: str | None
    front_km: float | None


_COLUMNS = tuple(MentionRow.__annotations__)


def mention_rows(places: pd.DataFrame | None, where: str = "places") -> list[MentionRow]:
    """Check a frame of mention rows once and return its rows.

    Parameters
    ----------
    places : DataFrame or None
        One row per toponym mention, with at least ``lat`` and ``lon``. A frame
        with no rows is empty whatever its columns.
    where : str
        What the frame is, to begin error messages with.

    Returns
    -------
    list of MentionRow

    Raises
    ------
    frontmap.errors.InputError
        As :func:`frontmap.schema.check_mentions`: not a DataFrame, no ``lat``
        or ``lon`` column, or a date that cannot be read.
    """
    frame = check_mentions(places, where)
    return frame[list(_COLUMNS)].to_dict("records")


def _text(value: str | None) -> str:
    return "" if value is None else clean_text(value)


def display_name(row: MentionRow) -> str:
    """The name shown for a mention: the gazetteer name, else the text as written."""
    return _text(row["name"]) or _text(row["surface"]) or "?"


def _has_coordinates(row: MentionRow) -> bool:
    lat, lon = row["lat"], row["lon"]
    return lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180


def place_key(row: MentionRow) -> str | None:
    """The marker key of a mention, or None when it has no usable coordinates.

    Mentions with the same gazetteer id and coordinates (to 5 decimals) are one
    place ("northwest Syria" has Syria's id but a point of its own); without an
    id, the same name and coordinates are.
    """
    if not _has_coordinates(row):
        return None
    gid = _text(row["gazetteer_id"])
    where = f"{row['lat']:.5f}|{row['lon']:.5f}"
    if gid:
        return f"g:{gid}|{where}"
    return f"n:{_text(row['name'])}|{where}"


def is_area_row(row: MentionRow) -> bool:
    """Whether a mention names an area (country or region): :func:`frontmap.schema.is_area`."""
    return is_area(_text(row["kind"]) or None, row["precision"])


# --------------------------------------------------------------------------- articles


@dataclass
class Article:
    """One article as the pages show it.

    Attributes
    ----------
    index : int
        Its position among the articles of the page or map.
    id : str
        Its id (on a map without ids: its title).
    title, url : str
        Title ("" when unknown) and URL (None when unknown; any scheme: pages
        link only http(s) URLs).
    date : str or None
        ISO date.
    text : str or None
        The whole text, when known (the report marks the toponyms in it).
    """

    index: int
    id: str
    title: str
    date: str | None
    url: str | None
    text: str | None = None


def _article_of_row(index: int, key: str, row: MentionRow) -> Article:
    return Article(
        index=index,
        id=key,
        title=_text(row["article_title"]),
        date=row["article_date"],
        url=_text(row["article_url"]) or None,
    )


#: Article fields, and the name of the same field among the mention columns
#: (also accepted, for a frame of articles cut from the mention rows).
ARTICLE_FIELDS = {
    "id": "article_id",
    "title": "article_title",
    "date": "article_date",
    "url": "article_url",
    "text": "text",
}


#: What the pages accept as articles: a frame, or records as mappings or objects.
Articles: TypeAlias = pd.DataFrame | Iterable[Mapping[str, Any] | object] | None


def _field(item: Mapping[str, Any] | object, name: str) -> Any:
    """An article's field, by its name or else its mention-column name (None if absent)."""
    for key in (name, ARTICLE_FIELDS[name]):
        value = item.get(key) if isinstance(item, Mapping) else getattr(item, key, None)
        if not is_missing(value):
            return value
    return None


def _article_text(item: Mapping[str, Any] | object) -> str | None:
    full = getattr(item, "full_text", None)
    value = full() if callable(full) else _field(item, "text")
    return None if value is None else str(value)


def articles_of(articles: Articles, where: str = "articles") -> list[Article]:
    """The articles given to a page, read once into :class:`Article` records.

    Parameters
    ----------
    articles : DataFrame, iterable of mappings or objects, or None
        Fields ``id``, ``title``, ``date``, ``url``, ``text`` (each may be
        missing; ``article_id``, ``article_title``, ``article_date`` and
        ``article_url`` are read when the plain name is absent). An object with
        a ``full_text()`` method (:class:`frontmap.geo.articles.Article`) is
        read with it.
    where : str
        What the articles are, to begin error messages with.

    Returns
    -------
    list of Article

    Raises
    ------
    frontmap.errors.InputError
        For a date that cannot be read.
    """
    if articles is None:
        return []
    items: Iterable[Mapping[str, Any] | object] = (
        articles.to_dict("records") if isinstance(articles, pd.DataFrame) else articles
    )
    out: list[Article] = []
    for item in items:
        out.append(
            Article(
                index=len(out),
                id=clean_text(_field(item, "id")),
                title=clean_text(_field(item, "title")),
                date=iso_date(_field(item, "date"), f"{where}: article {len(out)}, date"),
                url=clean_text(_field(item, "url")) or None,
                text=_article_text(item),
            )
        )
    return out


# --------------------------------------------------------------------------- places


@dataclass
class Place:
    """One marker: a distinct place and the mentions of it (see :func:`place_key`)."""

    key: str
    name: str
    lat: float
    lon: float
    kind: str
    country: str
    gazetteer_id: str
    precision: int  # 1 the place itself, 2 part of or near it, 3 a region
    score: float | None
    area: bool = False  # a country or region: drawn as an area, not a marker
    mentions: list[tuple[int, MentionRow]] = field(default_factory=list)  # (article, row)

    @functools.cached_property
    def label(self) -> str:
        """The label on the map: the spelling the articles used (:func:`press_label`).

        Read once all the mentions are in (:func:`places_and_articles`).
        """
        return press_label((_text(row["surface"]) for _, row in self.mentions), self.name)


def _place_of_row(key: str, row: MentionRow) -> Place:
    lat, lon = row["lat"], row["lon"]
    assert lat is not None and lon is not None
    precision = 1 if row["precision"] is None else row["precision"]
    return Place(
        key=key,
        name=display_name(row),
        lat=round(lat, 5),
        lon=round(lon, 5),
        kind=_text(row["kind"]),
        country=_text(row["country"]),
        gazetteer_id=_text(row["gazetteer_id"]),
        precision=min(max(precision, 1), 3),
        score=row["score"],
        area=is_area_row(row),
    )


def _article_key(row: MentionRow) -> str:
    return _text(row["article_id"]) or _text(row["article_title"])


def places_and_articles(
    rows: Iterable[MentionRow], theatre_id: str
) -> tuple[list[Place], list[Article]]:
    """The markers of a theatre's map, and the articles naming them, in order of first mention.

    Rows without usable coordinates, or whose ``theatre`` names a theatre other
    than ``theatre_id``, are left out. An article is on the map when it names a
    place or a region there, not only its country (a Libya article that
    mentions Syria is not on the Idlib map), or when the rows given name
    nothing of any theatre but countries: the countries of the articles on the
    map are kept, the others left out (see
    :func:`frontmap.mapping.theatre_rows`). Articles are told apart by id, or
    by title when there is no id.
    """
    kept: list[tuple[str, MentionRow]] = []
    on_map: set[str] = set()
    with_places: set[str] = set()
    for row in rows:
        key = place_key(row)
        if key is None:
            continue
        theatre = _text(row["theatre"])
        anchors = row["kind"] != "country"  # a place or a region, not a country
        if anchors and theatre:
            with_places.add(_article_key(row))
        if theatre_id and theatre and theatre != theatre_id:
            continue
        kept.append((key, row))
        if anchors:
            on_map.add(_article_key(row))
    on_map |= {_article_key(row) for _, row in kept} - with_places
    places: dict[str, Place] = {}
    articles: dict[str, Article] = {}
    for key, row in kept:
        akey = _article_key(row)
        if akey not in on_map:
            continue
        article = articles.get(akey)
        if article is None:
            article = articles[akey] = _article_of_row(len(articles), akey, row)
        place = places.get(key)
        if place is None:
            place = places[key] = _place_of_row(key, row)
        place.mentions.append((article.index, row))
    return list(places.values()), list(articles.values())


def map_day(as_of: dt.date | str | None, articles: list[Article]) -> str | None:
    """The day a map shows (ISO): ``as_of`` when given, else the latest article date.

    Raises
    ------
    frontmap.errors.InputError
        When ``as_of`` is given but is not a date.
    """
    if as_of is not None:
        day = iso_date(as_of, "as_of")
        if day is None:
            raise InputError(f"as_of: {as_of!r} is not a date in the form YYYY-MM-DD")
        return day
    dates = sorted(a.date for a in articles if a.date)
    return dates[-1] if dates else None


@dataclass
class Mention:
    """Where a mention is in its article's text (-1, -1 when not found there)."""

    start: int
    end: int
    n: int = -1  # its number among the toponyms marked in the text (-1: not marked)


@dataclass
class NamedPlace:
    """One distinct place named in one article: a row of the report's table."""

    number: int  # its position among the places of the article
    key: str | None  # its marker key (None without usable coordinates)
    name: str
    kind: str
    lat: float | None
    lon: float | None
    country: str
    theatre: str
    zones: list[str]
    control: str
    front_km: float | None
    mentions: list[Mention] = field(default_factory=list)


def _offsets(row: MentionRow, text: str | None) -> tuple[int, int]:
    """Where the mention is in the article text, checked against ``surface``."""
    start, end = row["start"], row["end"]
    if not text or start is None or end is None:
        return -1, -1
    surface = _text(row["surface"])
    if 0 <= start < end <= len(text) and (not surface or text[start:end] == surface):
        return start, end
    return -1, -1


def _named_place(number: int, key: str | None, row: MentionRow) -> NamedPlace:
    return NamedPlace(
        number=number,
        key=key,
        name=display_name(row),
        kind=_text(row["kind"]),
        lat=row["lat"] if key else None,
        lon=row["lon"] if key else None,
        country=_text(row["country"]),
        theatre=_text(row["theatre"]),
        zones=[clean_text(z) for z in row["zones"]],
        control=_text(row["control"]),
        front_km=row["front_km"],
    )


def named_places(
    rows: Iterable[MentionRow], articles: list[Article]
) -> tuple[list[Article], dict[int, list[NamedPlace]]]:
    """The places each article names, in order of first mention.

    Parameters
    ----------
    rows : iterable of MentionRow
        Mentions in any theatre or none.
    articles : list of Article
        The articles given; an article named only in ``rows`` is added after
        them, without text.

    Returns
    -------
    (list of Article, dict)
        The articles, and for each article index its places. Places are told
        apart by :func:`place_key`, or by name when they have no coordinates.
    """
    articles = list(articles)
    by_id = {a.id: a for a in articles}
    per_article: dict[int, dict[str, NamedPlace]] = {}
    for row in rows:
        aid = _text(row["article_id"])
        article = by_id.get(aid)
        if article is None:  # named in the places only: listed, without text
            article = by_id[aid] = _article_of_row(len(articles), aid, row)
            articles.append(article)
        key = place_key(row)
        places = per_article.setdefault(article.index, {})
        group = key or "s:" + display_name(row)
        place = places.get(group)
        if place is None:
            place = places[group] = _named_place(len(places), key, row)
        place.mentions.append(Mention(*_offsets(row, article.text)))
    return articles, {i: list(p.values()) for i, p in per_article.items()}


# --------------------------------------------------------------------------- layers


@dataclass(frozen=True)
class Feature:
    """One layer feature as the maps draw it (EPSG:4326)."""

    id: str
    kind: str  # "zone" when the layer gives none
    name: str
    actor: str
    valid_from: str | None  # ISO dates, None = open
    valid_to: str | None
    source: str
    precision_km: float | None
    geometry: BaseGeometry
    series: str = ""  # the layer (series of periods) it belongs to: its ``layer``, else its id
    subkind: str = ""  # what sort of zone or site it is (see :func:`feature_subkind`)
    faction: str = ""  # the faction within the actor holding an area of control

    def valid_on(self, day: str | None) -> bool:
        """True when the feature holds on ``day`` (ISO; None: always)."""
        if day is None:
            return True
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


#: Words of a feature's name that tell what sort of site it is, in order of trust.
_SITE_WORDS = (
    ("observation post", "observation_post"),
    ("observation point", "observation_post"),
    ("air base", "air_base"),
    ("airbase", "air_base"),
    ("air academy", "air_base"),
    ("airfield", "air_base"),
    ("airport", "airport"),
    ("naval base", "naval_base"),
    ("port", "port"),
    ("crossing", "crossing"),
    ("base", "military_base"),
)


def feature_subkind(row: Mapping[str, Any], kind: str) -> str:
    """What sort of site or zone a layer feature is.

    The feature's own ``subkind`` (or ``site_type``) property when the layer
    gives one (optional: layer files need not have it); else, for a site, the
    sort its name says ("Turkish observation post Morek" → ``observation_post``,
    "al-Watiya air base" → ``air_base``); else "".
    """
    for column in ("subkind", "site_type"):
        value = clean_text(row.get(column)).strip().lower().replace(" ", "_")
        if value:
            return value
    if kind != "site":
        return ""
    name = clean_text(row.get("name")).lower()
    for words, subkind in _SITE_WORDS:
        if words in name:
            return subkind
    return ""


def _feature(row: Mapping[str, Any]) -> Feature:
    precision = row.get("precision_km")
    number = None if precision is None or is_missing(precision) else float(precision)
    kind = clean_text(row.get("kind")) or "zone"
    fid = clean_text(row.get("id"))
    return Feature(
        id=fid,
        kind=kind,
        name=clean_text(row.get("name")),
        actor=clean_text(row.get("actor")),
        valid_from=iso_date(row.get("valid_from"), "layers: valid_from"),
        valid_to=iso_date(row.get("valid_to"), "layers: valid_to"),
        source=clean_text(row.get("source")),
        precision_km=number if number is not None and math.isfinite(number) else None,
        geometry=row["geometry"],
        series=clean_text(row.get("layer")) or fid or clean_text(row.get("name")),
        subkind=feature_subkind(row, kind),
        faction=clean_text(row.get("faction")),
    )


def layer_features(layers: pd.DataFrame | None, theatre_id: str) -> list[Feature]:
    """The features of a layers frame to draw on a theatre's map.

    Parameters
    ----------
    layers : GeoDataFrame or None
        Layers as :mod:`frontmap.layers` gives them (``id``, ``theatre``,
        ``kind``, ``name``, ``actor``, ``valid_from``, ``valid_to``, ``source``,
        ``precision_km``, ``geometry``); another CRS is converted to EPSG:4326.
    theatre_id : str
        Features of another theatre are left out, as are empty geometries.

    Raises
    ------
    frontmap.errors.RenderError
        When the frame has no geometry column.
    """
    if layers is None or len(layers) == 0:
        return []
    if "geometry" not in layers.columns:
        raise RenderError("layers have no geometry column")
    crs = getattr(layers, "crs", None)
    if crs is not None and not crs.equals("EPSG:4326"):
        layers = layers.to_crs("EPSG:4326")
    out = []
    for row in layers.to_dict("records"):
        geom = row.get("geometry")
        if geom is None or getattr(geom, "is_empty", True):
            continue
        theatre = clean_text(row.get("theatre"))
        if theatre and theatre != theatre_id:
            continue
        out.append(_feature(row))
    return out
