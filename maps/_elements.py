"""The folium elements of a frontmap map: folium as a container.

A frontmap map is a :class:`folium.Map` (so it renders, embeds and saves like
any folium map), but frontmap draws nothing with folium's own layers: one
script, ``static/client.js``, draws the whole map from one JSON object. What
folium provides is the page around it. These elements adapt it:

* :class:`FrontFigure` is the page: ``<html lang="en">``, the script inside
  the body;
* :class:`FrontMap` overrides the Map template so that its CSS is scoped to
  the map's class, its element id is quoted as JSON and its Leaflet options
  are one JSON object (the same the fragments mount with: see
  :func:`maps.export.map_fragment`);
* :class:`Inline` puts Leaflet, markercluster and frontmap's own script and
  styles into the page header, inlined (no network);
* :class:`Draw` calls ``frontmap.draw`` with the data, rendering it exactly
  once (:class:`Raw`): see its docstring.

Element ids are made deterministic while a map is built and rendered
(:mod:`maps._ids`).
"""

from __future__ import annotations

from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from folium.template import Template

from ..errors import RenderError

__all__ = ["Draw", "FrontFigure", "FrontMap", "Inline", "Raw"]


def _cached_template(source: str) -> Template:
    """folium's ``Template(source)``, compiled once per installation: its code is
    kept in frontmap's cache folder like the package templates' (jinja2's bytecode
    cache, :func:`maps._resources.bytecode_cache`; compiling the three templates
    below took ~0.015 s of every start)."""
    import hashlib

    from ._resources import bytecode_cache

    cache = bytecode_cache()
    if cache is None:
        return Template(source)
    env = Template("").environment  # folium's shared environment for its templates
    name = "frontmap.maps._elements:" + hashlib.sha1(source.encode()).hexdigest()
    bucket = cache.get_bucket(env, name, None, source)
    if bucket.code is None:
        bucket.code = env.compile(source)
        try:
            cache.set_bucket(bucket)
        except OSError:
            pass  # a cache only
    template = Template.from_code(env, bucket.code, env.make_globals(None))
    assert isinstance(template, Template)
    return template


class Inline(Element):
    """An inline <script> or <style> in the page header (content already safe)."""

    def __init__(self, tag: str, code: str):
        super().__init__()
        self._name = "FrontmapInline"
        self.tag = tag
        self.code = code

    def render(self, **kwargs: Any) -> str:
        return f"<{self.tag}>{self.code}</{self.tag}>"


class FrontFigure(Figure):
    """The page of a map: branca's Figure with ``lang="en"`` and the script in the body."""

    _template = _cached_template(
        "<!DOCTYPE html>\n"
        '<html lang="en">\n'
        "<head>\n"
        "{% if this.title %}<title>{{this.title}}</title>{% endif %}"
        "    {{this.header.render(**kwargs)}}\n"
        "</head>\n"
        "<body>\n"
        "    {{this.html.render(**kwargs)}}\n"
        "<script>\n"
        "    {{this.script.render(**kwargs)}}\n"
        "</script>\n"
        "</body>\n"
        "</html>\n",
    )


class FrontMap(folium.Map):
    """A folium Map whose page parts are scoped to the map (fragment-safe).

    ``leaflet_options`` is the map's Leaflet options as JSON (made safe for an
    inline script by :func:`maps._html.script_json`).
    """

    _template = _cached_template(
        """
        {% macro header(this, kwargs) %}
            <style>{{ this.scoped_css }}</style>
        {% endmacro %}

        {% macro html(this, kwargs) %}
            <div class="folium-map frontmap" id={{ this.get_name()|tojson }}></div>
        {% endmacro %}

        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.map(
                {{ this.get_name()|tojson }}, {{ this.leaflet_options }});
            {%- if this.control_scale %}
            L.control.scale({metric: true, imperial: false}).addTo({{ this.get_name() }});
            {%- endif %}
        {% endmacro %}
        """
    )

    scoped_css: str = ""
    leaflet_options: str = "{}"


class Raw(Element):
    """Text that goes into the page as it is: never parsed as a Jinja template."""

    def __init__(self, code: str):
        super().__init__()
        self._name = "FrontmapRaw"
        self.code = code

    def render(self, **kwargs: Any) -> str:
        return self.code


class Draw(MacroElement):
    """Calls ``frontmap.draw`` with the map's data.

    branca's ``MacroElement.render`` wraps each rendered macro in a new
    ``Element``, which parses it as a Jinja template a second time: article text
    such as ``{{ 7*7 }}`` in the data would then be evaluated (template
    injection). :meth:`render` adds the rendered script as :class:`Raw`
    instead, so the data is rendered exactly once, as a value.
    """

    _template = _cached_template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = frontmap.draw(
                {{ this._parent.get_name() }}, {{ this.data_json }});
        {% endmacro %}
        """
    )

    def __init__(self, data_json: str):
        super().__init__()
        self._name = "FrontmapDraw"
        self.data_json = data_json

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        figure = self.get_root()
        if not isinstance(figure, Figure):  # pragma: no cover - always inside a map
            raise RenderError("the map is not inside a figure")
        script = self._template.module.__dict__["script"]
        figure.script.add_child(Raw(script(self, kwargs)), name=self.get_name())
