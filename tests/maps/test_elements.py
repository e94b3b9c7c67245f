"""_elements.py: folium's templates of a frontmap map, compiled once per installation."""

from __future__ import annotations

from folium.template import Template

from frontmap.maps import _elements


def test_cached_templates_render_as_folium_compiles_them(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("FRONTMAP_CACHE", str(tmp_path))
    source = "{% if x %}var a = {{ x|tojavascript }};{% endif %} {{ y }}"
    first = _elements._cached_template(source)  # compiles and keeps the code
    kept = list((tmp_path / "templates").iterdir())
    assert len(kept) == 1
    second = _elements._cached_template(source)  # reads it
    assert list((tmp_path / "templates").iterdir()) == kept
    values = {"x": {"a": "</script>"}, "y": "<b>"}
    expected = Template(source).render(**values)
    assert expected == 'var a = {\n  "a": "\\u003c/script\\u003e",\n}; <b>'
    for t in (first, second):
        assert isinstance(t, Template)
        assert t.environment is Template(source).environment
        assert t.render(**values) == expected
    # a damaged file is compiled afresh
    kept[0].write_bytes(b"garbage")
    third = _elements._cached_template(source)
    assert third.render(**values) == expected
