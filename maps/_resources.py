"""The package files of maps: browser code in ``static/``, HTML templates in ``templates/``.

Both are read through :mod:`importlib.resources` (never as filesystem paths),
so they work from a wheel, an editable install or a zip file, and each is read
once per process.

Templates are rendered by a Jinja2 environment with autoescaping on: every
``{{ value }}`` is escaped unless it is :class:`markupsafe.Markup` (``|safe``
in a template marks the few trusted pieces: CSS, scripts, JSON made safe by
:func:`maps._html.script_json`, a map fragment). Its ``finalize`` hook does the
escaping itself with :func:`maps._html.esc`, which first removes control
characters and lone surrogates (:func:`maps._html.clean_text`, the HTML-safety
step) and writes the entities the pages have always used (``&quot;``,
``&#x27;``); the value it returns is Markup, so autoescaping does not escape it
twice. ``|join`` is replaced by a filter that escapes the same way. Article
text only ever reaches a template as a value: no template is built from data.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from importlib.resources import files
from typing import Any

import jinja2
from markupsafe import Markup

from ._html import esc, safe_url

__all__ = ["static_text", "render_template", "template_module"]


def _package_file(folder: str, name: str) -> str:
    return files(__package__).joinpath(folder).joinpath(name).read_text(encoding="utf-8")


@functools.cache
def static_text(name: str) -> str:
    """The text of the package file ``static/<name>`` (JavaScript or CSS), read once.

    Parameters
    ----------
    name : str
        File name, such as ``"client.js"`` or ``"report.css"``.

    Returns
    -------
    str
    """
    return _package_file("static", name)


def _escaped(value: Any) -> Any:
    """Jinja ``finalize``: escape a value with :func:`esc` unless it is Markup."""
    if hasattr(value, "__html__"):
        return value
    return Markup(esc(value))


def _join(items: Iterable[Any], sep: str = "") -> Markup:
    """``|join`` with every item escaped by :func:`_escaped` (the separator too)."""
    return Markup(_escaped(sep)).join(_escaped(item) for item in items)


def _load(name: str) -> str:
    return _package_file("templates", name)


def bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept in frontmap's cache folder (keyed by their source)."""
    from ..files import cache_dir

    folder = cache_dir() / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # a read-only home: compile in each process
    return jinja2.FileSystemBytecodeCache(str(folder))


@functools.cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(_load),
        bytecode_cache=bytecode_cache(),
        autoescape=True,
        finalize=_escaped,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["join"] = _join
    env.globals["safe_url"] = safe_url
    return env


def render_template(name: str, **context: Any) -> str:
    """Render the package template ``templates/<name>`` with ``context``.

    Parameters
    ----------
    name : str
        Template file name, such as ``"index.html"``.
    **context
        The template's variables (plain values: the template escapes them).

    Returns
    -------
    str
    """
    return _environment().get_template(name).render(**context)


def template_module(name: str) -> Any:
    """The macros of the package template ``templates/<name>``, as attributes.

    A macro called from Python returns :class:`markupsafe.Markup`.
    """
    return _environment().get_template(name).module
