"""A geopy-compatible geocoder over the frontmap gazetteer, working offline.

:class:`Frontmap` is a :class:`geopy.geocoders.base.Geocoder`: it can stand
wherever a geopy geocoder does, for example behind
:class:`geopy.extra.rate_limiter.RateLimiter` or in
:func:`geopandas.tools.geocode` (``geocode(names, provider=Frontmap)``).

>>> from frontmap.geo.geocoder import Frontmap
>>> Frontmap().geocode("Saraqeb").address
'Saraqib, SY'
"""

from __future__ import annotations

from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from ..errors import InputError
from .gazetteer import Candidate, Gazetteer, load_gazetteer

__all__ = ["Frontmap"]


class Frontmap(Geocoder):
    """Geocode place names against the offline gazetteer.

    Parameters
    ----------
    gazetteer : Gazetteer, optional
        Defaults to the shared gazetteer.
    country : str, optional
        Default ISO country code to restrict results to.
    **kwargs
        Accepted for compatibility with geopy's ``Geocoder`` (``timeout``,
        ``user_agent``...); no network is ever used.
    """

    def __init__(
        self, gazetteer: Gazetteer | None = None, country: str | None = None, **kwargs: object
    ) -> None:
        kwargs.pop("scheme", None)
        super().__init__(scheme="https", **kwargs)
        self._gazetteer = gazetteer
        self._country = country

    @property
    def gazetteer(self) -> Gazetteer:
        """The gazetteer in use (loaded on first use)."""
        if self._gazetteer is None:
            self._gazetteer = load_gazetteer()
        return self._gazetteer

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        timeout: object = None,
        limit: int | None = None,
        country: str | None = None,
        kind: str | None = None,
        fuzzy: bool = True,
    ) -> Location | list[Location] | None:
        """Return the best place for ``query`` or a ranked list of places.

        Parameters
        ----------
        query : str
            A place name.
        exactly_one : bool
            Return one :class:`geopy.location.Location` (or None) when true,
            else a list (or None when nothing matches), as geopy does.
        timeout : object
            Ignored (nothing goes over the network); accepted for geopy.
        limit : int, optional
            At most this many results when ``exactly_one`` is false (default 10).
        country : str, optional
            Only places of this ISO country code.
        kind : str, optional
            Only places of this kind (``populated_place``, ``military_site``...).
        fuzzy : bool
            Allow the bounded typo fallback.

        Returns
        -------
        Location, list of Location, or None
        """
        if not isinstance(query, str) or not query.strip():
            return None
        try:
            found = self.gazetteer.search(
                query,
                limit=1 if exactly_one else (limit or 10),
                fuzzy=fuzzy,
                country=country or self._country,
                kind=kind,
            )
        except InputError:
            return None
        locations = [self._location(c) for c in found]
        if not locations:
            return None
        return locations[0] if exactly_one else locations

    def reverse(
        self, query: object, *, exactly_one: bool = True, timeout: object = None
    ) -> Location | list[Location] | None:
        """Not offered: the gazetteer is indexed by name, not by position."""
        raise NotImplementedError("frontmap's geocoder does not reverse-geocode")

    @staticmethod
    def _location(c: Candidate) -> Location:
        p = c.place
        raw = {
            "name": p.name,
            "lat": p.lat,
            "lon": p.lon,
            "country": p.country,
            "kind": p.kind,
            "gazetteer_id": p.gazetteer_id,
            "admin1": p.admin1,
            "population": p.population,
            "source": p.source,
            "score": c.score,
            "match": c.match,
        }
        return Location(f"{p.name}, {p.country}", Point(p.lat, p.lon), raw)
