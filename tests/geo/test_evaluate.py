"""Tests of geo.evaluate: span matching, tolerances, countries, theatres, report."""

from __future__ import annotations

import json
import math

import pytest

from frontmap.errors import InputError
from frontmap.geo.evaluate import (
    AUC_MAX_KM,
    EARTH_RADIUS_KM,
    NO_THEATRE,
    auc_of_errors,
    country_of_geonameid,
    country_of_name,
    evaluate,
    format_report,
    haversine_km,
    kind_of_feature,
    load_jsonl,
)

KM_PER_DEG_LAT = math.pi * EARTH_RADIUS_KM / 180

# A toy dispatch written for these tests; offsets are computed, not typed.
TEXT = "Shelling hit Kafr Batikh near Saraqib, and the road to Tripoli closed."
DAMASCUS = (33.5138, 36.2765)
ALEPPO = (36.2021, 37.1343)
SARAQIB = (35.8626, 36.8056)


def span(surface: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(surface)
    return start, start + len(surface)


def topo(surface: str, lat: float, lon: float, text: str = TEXT, **extra) -> dict:
    start, end = span(surface, text)
    return {"start": start, "end": end, "surface": surface, "lat": lat, "lon": lon, **extra}


def north(point: tuple[float, float], km: float) -> tuple[float, float]:
    return point[0] + km / KM_PER_DEG_LAT, point[1]


def article(*toponyms: dict, art: str = "a1") -> dict:
    return {"id": art, "toponyms": list(toponyms)}


def gold_and_same_pred(*toponyms: dict) -> tuple[list[dict], list[dict]]:
    pred = [dict(t, name=t["surface"], gazetteer_id="x", score=1.0) for t in toponyms]
    return [article(*toponyms)], [article(*pred)]


# ------------------------------------------------------------------ haversine


def test_haversine_damascus_aleppo() -> None:
    assert haversine_km(*DAMASCUS, *ALEPPO) == pytest.approx(310, abs=5)
    assert haversine_km(*ALEPPO, *DAMASCUS) == pytest.approx(haversine_km(*DAMASCUS, *ALEPPO))


def test_haversine_zero_and_antipode() -> None:
    assert haversine_km(*SARAQIB, *SARAQIB) == 0.0
    assert haversine_km(0, 0, 0, 180) == pytest.approx(math.pi * EARTH_RADIUS_KM)
    assert haversine_km(0, 0, 1, 0) == pytest.approx(KM_PER_DEG_LAT)


# ------------------------------------------------------------------------ AUC


def test_auc_definition() -> None:
    assert auc_of_errors([]) is None
    assert auc_of_errors([0.0, 0.0, 0.0]) == 0.0
    assert auc_of_errors([AUC_MAX_KM - 1] * 4) == pytest.approx(1.0)
    # trapezoid over sorted ln(1 + e), unit spacing, / (ln 20039 * (n - 1))
    errors = [100.0, 0.0, 10.0]
    ys = [0.0, math.log(11), math.log(101)]
    expected = ((ys[0] + ys[1]) / 2 + (ys[1] + ys[2]) / 2) / (math.log(20039) * 2)
    assert auc_of_errors(errors) == pytest.approx(expected)
    assert auc_of_errors([10.0]) == pytest.approx(math.log(11) / math.log(20039))


# ---------------------------------------------------------------- recognition


def test_perfect_prediction_scores_one_everywhere() -> None:
    gold, pred = gold_and_same_pred(
        topo("Kafr Batikh", 35.83, 36.78, kind="populated_place", country="SY"),
        topo("Saraqib", *SARAQIB, kind="populated_place", country="SY"),
        topo("Tripoli", 32.89, 13.19, kind="populated_place", country="LY"),
    )
    o = evaluate(gold, pred)["overall"]
    for mode in ("exact", "overlap"):
        assert (o[mode]["precision"], o[mode]["recall"], o[mode]["f1"]) == (1.0, 1.0, 1.0)
        assert (o[mode]["tp"], o[mode]["fp"], o[mode]["fn"]) == (3, 0, 0)
    r = o["resolution"]
    assert (r["acc_161"], r["acc_tolerance"]) == (1.0, 1.0)
    assert (r["median_km"], r["mean_km"], r["auc"]) == (0.0, 0.0, 0.0)
    assert o["end_to_end"] == {"correct": 3, "n_gold": 3, "accuracy": 1.0}
    assert (o["n_gold"], o["n_pred"]) == (3, 3)


def test_missed_toponym_lowers_recall_and_end_to_end() -> None:
    g1 = topo("Saraqib", *SARAQIB, kind="populated_place", country="SY")
    g2 = topo("Tripoli", 32.89, 13.19, kind="populated_place", country="LY")
    o = evaluate([article(g1, g2)], [article(g1)])["overall"]
    assert o["overlap"]["precision"] == 1.0
    assert o["overlap"]["recall"] == 0.5
    assert o["overlap"]["f1"] == pytest.approx(2 / 3, abs=1e-6)
    assert o["resolution"]["acc_tolerance"] == 1.0  # over recognised toponyms only
    assert o["end_to_end"]["accuracy"] == 0.5


def test_spurious_prediction_lowers_precision() -> None:
    g = topo("Saraqib", *SARAQIB, kind="populated_place")
    extra = topo("Shelling", 35.0, 36.0)
    o = evaluate([article(g)], [article(g, extra)])["overall"]
    assert (o["overlap"]["precision"], o["overlap"]["recall"]) == (0.5, 1.0)
    assert o["overlap"]["fp"] == 1


def test_exact_versus_overlap_spans() -> None:
    gold = [article(topo("Kafr Batikh", 35.83, 36.78, kind="populated_place"))]
    pred = [article(topo("Batikh", 35.83, 36.78))]
    o = evaluate(gold, pred)["overall"]
    assert o["overlap"]["recall"] == 1.0 and o["overlap"]["precision"] == 1.0
    assert o["exact"]["recall"] == 0.0 and o["exact"]["precision"] == 0.0
    assert o["exact"]["f1"] == 0.0
    assert o["end_to_end"]["accuracy"] == 1.0  # end to end counts overlap


def test_matching_is_one_to_one() -> None:
    gold = [article(topo("Kafr Batikh", 35.83, 36.78, kind="populated_place"))]
    pred = [article(topo("Kafr", 35.83, 36.78), topo("Batikh", 35.83, 36.78))]
    o = evaluate(gold, pred)["overall"]
    assert (o["overlap"]["tp"], o["overlap"]["fp"]) == (1, 1)
    assert o["overlap"]["precision"] == 0.5


def test_greedy_matching_prefers_largest_overlap() -> None:
    text = "from Saraqib to Kafr Batikh"
    g1 = topo("Saraqib", *SARAQIB, text=text, kind="populated_place")
    g2 = topo("Kafr Batikh", 35.5, 36.5, text=text, kind="populated_place")
    assert haversine_km(*SARAQIB, 35.5, 36.5) > 10
    wide = topo("Saraqib to Kafr Batikh", 35.5, 36.5, text=text)  # overlaps both
    o = evaluate([article(g1, g2)], [article(wide)])["overall"]
    assert (o["overlap"]["tp"], o["exact"]["tp"]) == (1, 0)
    # paired with the gold it overlaps most (Kafr Batikh, 11 characters), so
    # its point is right
    assert o["end_to_end"]["correct"] == 1
    assert o["by_kind"]["populated_place"]["recognised"] == 1


def test_articles_matched_by_id() -> None:
    g = topo("Saraqib", *SARAQIB, kind="populated_place")
    gold = [article(g, art="a1"), article(g, art="a2")]
    pred = [article(g, art="a2"), article(g, art="zz")]
    result = evaluate(gold, pred)
    o = result["overall"]
    assert (o["n_gold"], o["n_pred"]) == (2, 1)  # "zz" has no gold: not scored
    assert o["overlap"]["recall"] == 0.5
    assert result["articles"] == {
        "gold": 2,
        "pred": 2,
        "gold_without_pred": 1,
        "pred_without_gold": 1,
    }


# ----------------------------------------------------------------- resolution


def test_tolerance_depends_on_gold_kind() -> None:
    text = "Jabal al-Zawiya and Kafr Batikh"
    g_region = topo("Jabal al-Zawiya", *SARAQIB, text=text, kind="region", country="SY")
    g_village = topo("Kafr Batikh", 35.83, 36.78, text=text, kind="populated_place")
    p_region = dict(g_region, lat=north(SARAQIB, 100)[0])  # 100 km off: within 150
    p_village = dict(g_village, lat=35.83 + 20 / KM_PER_DEG_LAT)  # 20 km off: beyond 10
    o = evaluate([article(g_region, g_village)], [article(p_region, p_village)])["overall"]
    r = o["resolution"]
    assert r["acc_161"] == 1.0
    assert r["acc_tolerance"] == 0.5
    assert r["median_km"] == pytest.approx(60, abs=0.1)
    assert r["mean_km"] == pytest.approx(60, abs=0.1)
    assert o["by_kind"]["region"]["correct"] == 1
    assert o["by_kind"]["populated_place"]["correct"] == 0
    assert o["end_to_end"]["accuracy"] == 0.5


@pytest.mark.parametrize(
    ("kind", "km", "ok"),
    [
        ("road", 20, True),
        ("road", 30, False),
        ("admin_region", 45, True),
        ("admin_region", 60, False),
        ("water", 250, True),
        ("camp", 12, False),
        ("no_such_kind", 9, True),  # unknown kinds get the 10 km of "other"
    ],
)
def test_tolerance_table(kind: str, km: float, ok: bool) -> None:
    g = topo("Saraqib", *SARAQIB, kind=kind, country="SY")
    p = dict(g, lat=north(SARAQIB, km)[0])
    o = evaluate([article(g)], [article(p)])["overall"]
    assert o["resolution"]["acc_tolerance"] == (1.0 if ok else 0.0)


def test_prediction_without_coordinates_is_recognised_but_wrong() -> None:
    g = topo("Saraqib", *SARAQIB, kind="populated_place")
    p = dict(g, lat=None, lon=None)
    o = evaluate([article(g)], [article(p)])["overall"]
    assert o["overlap"]["recall"] == 1.0
    r = o["resolution"]
    assert (r["n_matched"], r["n_resolved"], r["acc_161"], r["acc_tolerance"]) == (1, 0, 0.0, 0.0)
    assert r["median_km"] is None and r["auc"] is None
    assert o["end_to_end"]["accuracy"] == 0.0


# ------------------------------------------------------------------ countries


def test_country_scored_by_code_or_300_km() -> None:
    text = "Syria said so."
    g = topo("Syria", 35.0, 38.0, text=text, kind="country", country="SY")
    cases = [
        (dict(g, lat=34.8, lon=39.0, country="SY"), True),  # another point, same code
        (dict(g, lat=33.0, lon=44.0, country="SY"), True),  # far, same code
        (dict(g, lat=33.0, lon=44.0, country="IQ"), False),  # far, other code
        (dict(g, lat=north((35.0, 38.0), 250)[0], country="TR"), True),  # within 300 km
        (dict(g, lat=33.0, lon=44.0, country=None), False),  # no code, far
    ]
    for pred, ok in cases:
        o = evaluate([article(g)], [article(pred)])["overall"]
        assert o["resolution"]["acc_tolerance"] == (1.0 if ok else 0.0), pred


def test_geowebnews_country_by_geonameid_uses_code_only() -> None:
    text = "Syria and Lebanon"
    # GeoWebNews style: no kind; Syria's GeoNames id and centroid
    g = {"start": 0, "end": 5, "name": "Syria", "lat": 35.0, "lon": 38.0, "geonameid": 163843}
    lebanon = topo("Syria", 33.8, 35.9, text=text, country="LB", kind="country")
    syria = topo("Syria", 34.8, 38.9, text=text, country="SY", kind="country")
    assert haversine_km(35.0, 38.0, 33.8, 35.9) < 300
    o = evaluate([article(g)], [article(lebanon)])["overall"]
    assert o["resolution"]["acc_tolerance"] == 0.0  # near, but the wrong country
    o = evaluate([article(g)], [article(syria)])["overall"]
    assert o["resolution"]["acc_tolerance"] == 1.0
    assert o["by_kind"] == {
        "country": {"n_gold": 1, "recognised": 1, "correct": 1, "accuracy": 1.0}
    }


def test_geowebnews_country_by_name_and_by_feature_code() -> None:
    text = "Libya and Georgia"
    by_name = {"start": 0, "end": 5, "name": "Libya", "lat": 27.0, "lon": 17.0}
    by_fcode = {
        "start": 10,
        "end": 17,
        "name": "Georgia",
        "lat": 42.0,
        "lon": 43.5,
        "geonameid": 1,
        "fclass": "A",
        "fcode": "PCLI",
        "country": "Georgia",
    }
    pred = [
        topo("Libya", 32.9, 13.2, text=text, country="LY", kind="country"),
        topo("Georgia", 41.7, 44.8, text=text, country="GE", kind="country"),
    ]
    o = evaluate([article(by_name, by_fcode)], [article(*pred)])["overall"]
    assert o["by_kind"]["country"]["correct"] == 2


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Syria", "SY"),
        ("Syrian Arab Republic", "SY"),
        ("the Russian Federation", "RU"),
        ("Côte d'Ivoire", "CI"),
        ("Ivory Coast", "CI"),
        ("Timor-Leste", "TL"),
        ("USA", "US"),
        ("U.S.", "US"),
        ("Holland", "NL"),
        ("Curacao", "CW"),
        ("Saint Martin", "MF"),
        ("UAE", "AE"),  # a gazetteer alias the former table lacked
    ],
)
def test_country_names_are_the_gazetteers_folded(name: str, code: str) -> None:
    # rule 3: a GeoWebNews-style gold without geonameid named as a country
    text = name + " said"
    g = {"start": 0, "end": len(name), "name": name, "lat": 10.0, "lon": 10.0}
    right = topo(name, 40.0, 100.0, text=text, country=code, kind="country")
    o = evaluate([article(g)], [article(right)])["overall"]
    assert o["by_kind"] == {
        "country": {"n_gold": 1, "recognised": 1, "correct": 1, "accuracy": 1.0}
    }


def test_country_lookups() -> None:
    assert country_of_geonameid(163843) == country_of_geonameid("163843") == "SY"
    assert country_of_geonameid(170063) is None  # Aleppo: not a country
    assert country_of_geonameid("x") is None and country_of_geonameid(None) is None
    assert country_of_name("The Syrian Arab Republic") == "SY"
    assert country_of_name("Idlib") is None


def test_country_names_fold_as_the_gazetteer_folds_them() -> None:
    # One folding (geo.names.fold) drops Arabic articles, so "El Salvador" is
    # also "Salvador", as in the gazetteer: a gold "Salvador" without a
    # GeoNames id now reads as the country (no gold file here has one).
    g = {"start": 0, "end": 8, "name": "Salvador", "lat": 13.8, "lon": -88.9}
    assert evaluate([article(g)], [])["overall"]["by_kind"].keys() == {"country"}
    assert evaluate([article(dict(g, geonameid=3450554))], [])["overall"]["by_kind"].keys() == {
        "populated_place"
    }


def test_geowebnews_kind_from_feature_code() -> None:
    assert kind_of_feature("A", "ADM1") == "admin_region"
    assert kind_of_feature("A", "PCLI") == "country"
    assert kind_of_feature("A", "PCLS") == "region"
    assert kind_of_feature("P", "PPLC") == "populated_place"
    assert kind_of_feature("T", "MT") == "mountain"
    assert kind_of_feature("H", "STM") == "water"
    assert kind_of_feature("L", "RGN") == "region"
    assert kind_of_feature("S", "SCH") == "other"
    assert kind_of_feature(None, None) is None


def test_geowebnews_place_without_kind_is_a_populated_place() -> None:
    # a US "Georgia" with a non-country id and no feature code: 10 km
    text = "Georgia"
    g = {"start": 0, "end": 7, "name": "Georgia", "lat": 33.0, "lon": -83.5, "geonameid": 7}
    near = topo("Georgia", 33.05, -83.5, text=text)
    off = topo("Georgia", 33.5, -83.5, text=text)
    assert evaluate([article(g)], [article(near)])["overall"]["end_to_end"]["accuracy"] == 1.0
    assert evaluate([article(g)], [article(off)])["overall"]["end_to_end"]["accuracy"] == 0.0
    assert evaluate([article(g)], [article(off)])["overall"]["by_kind"].keys() == {
        "populated_place"
    }


# ----------------------------------------------------- excluded GeoWebNews types


def test_excluded_types_are_not_scored() -> None:
    text = "Syrian troops entered Saraqib."
    adjective = {
        "start": 0,
        "end": 6,
        "name": "Syrian",
        "lat": 35.0,
        "lon": 38.0,
        "geonameid": 163843,
        "type": "Non_Literal_Modifier",
    }
    literal = dict(topo("Saraqib", *SARAQIB, text=text), geonameid=5, type="Literal")
    gold = [article(adjective, literal)]
    pred_on_adjective = topo("Syrian", 35.0, 38.0, text=text, kind="country", country="SY")
    pred_literal = topo("Saraqib", *SARAQIB, text=text)
    o = evaluate(gold, [article(pred_on_adjective, pred_literal)])["overall"]
    assert o["n_gold"] == 1
    assert (o["n_pred"], o["n_pred_ignored"]) == (1, 1)  # neither TP nor FP
    for mode in ("exact", "overlap"):
        assert (o[mode]["precision"], o[mode]["recall"]) == (1.0, 1.0)
    assert o["end_to_end"]["accuracy"] == 1.0
    # missing the excluded span costs nothing either
    o = evaluate(gold, [article(pred_literal)])["overall"]
    assert (o["overlap"]["recall"], o["n_pred_ignored"]) == (1.0, 0)


def test_prediction_over_excluded_and_taken_gold_is_false_positive() -> None:
    text = "Syrian Saraqib"
    adjective = {"start": 0, "end": 6, "name": "Syrian", "lat": 35.0, "lon": 38.0}
    adjective["type"] = "Embedded_Non_Lit"
    literal = topo("Saraqib", *SARAQIB, text=text, type="Literal")
    both = topo("Syrian Saraqib", *SARAQIB, text=text)
    exact = topo("Saraqib", *SARAQIB, text=text)
    o = evaluate([article(adjective, literal)], [article(both, exact)])["overall"]
    assert (o["overlap"]["tp"], o["overlap"]["fp"], o["n_pred_ignored"]) == (1, 1, 0)
    assert o["exact"]["tp"] == 1  # the exact pair wins the tie


# ------------------------------------------------------------------- theatres


def by_longitude(lat: float, lon: float, kind: str | None, country: str | None) -> str | None:
    if 35.5 <= lon <= 37.5:
        return "idlib"
    if 9 <= lon <= 25:
        return "libya"
    return None


def test_per_theatre_split() -> None:
    g_idlib = topo("Saraqib", *SARAQIB, kind="populated_place", country="SY")
    g_libya = topo("Tripoli", 32.89, 13.19, kind="populated_place", country="LY")
    # Tripoli resolved to the Lebanese city: counted in Libya's theatre, wrong
    p_libya = dict(g_libya, lat=34.44, lon=35.85, country="LB")
    # a spurious prediction in Idlib
    p_extra = topo("Kafr Batikh", 35.83, 36.78)
    # a spurious prediction that lies in no theatre
    p_none = topo("Shelling", 50.0, 5.0)
    result = evaluate(
        [article(g_idlib, g_libya)],
        [article(g_idlib, p_libya, p_extra, p_none)],
        theatre_of=by_longitude,
    )
    assert list(result["theatres"]) == ["idlib", "libya", NO_THEATRE]
    idlib, libya, none = (result["theatres"][k] for k in ("idlib", "libya", NO_THEATRE))
    assert (idlib["n_gold"], idlib["n_pred"]) == (1, 2)
    assert idlib["overlap"]["precision"] == 0.5 and idlib["overlap"]["recall"] == 1.0
    assert idlib["end_to_end"]["accuracy"] == 1.0
    assert (libya["n_gold"], libya["n_pred"]) == (1, 1)
    assert libya["overlap"]["precision"] == 1.0
    assert libya["end_to_end"]["accuracy"] == 0.0
    assert libya["resolution"]["acc_161"] == 0.0
    assert (none["n_gold"], none["n_pred"], none["overlap"]["precision"]) == (0, 1, 0.0)
    assert none["overlap"]["recall"] is None
    overall = result["overall"]
    assert (overall["n_gold"], overall["n_pred"]) == (2, 4)
    assert overall["end_to_end"]["accuracy"] == 0.5


def test_theatre_of_receives_kind_and_country() -> None:
    seen = []

    def spy(lat, lon, kind, country):
        seen.append((round(lat, 2), round(lon, 2), kind, country))
        return "t"

    g = topo("Saraqib", *SARAQIB, kind="populated_place", country="sy")
    evaluate([article(g)], [article(g)], theatre_of=spy)
    assert seen == [(35.86, 36.81, "populated_place", "SY")]


def test_without_theatre_of_only_overall() -> None:
    g = topo("Saraqib", *SARAQIB, kind="populated_place")
    assert evaluate([article(g)], [article(g)])["theatres"] == {}


# ----------------------------------------------------------- output and input


def test_result_is_json_and_deterministic() -> None:
    g1 = topo("Saraqib", *SARAQIB, kind="populated_place", country="SY")
    g2 = topo("Tripoli", 32.89, 13.19, kind="populated_place", country="LY")
    gold = [article(g1, g2)]
    pred = [article(dict(g1, lat=36.0), g2)]
    a = json.dumps(evaluate(gold, pred, theatre_of=by_longitude))
    b = json.dumps(evaluate(gold, pred, theatre_of=by_longitude))
    assert a == b
    result = json.loads(a)
    assert list(result) == ["overall", "theatres", "articles", "settings"]
    assert list(result["overall"]) == [
        "n_gold",
        "n_pred",
        "n_pred_ignored",
        "exact",
        "overlap",
        "resolution",
        "end_to_end",
        "by_kind",
    ]
    assert result["settings"]["tolerance_km"]["region"] == 150


def test_empty_inputs() -> None:
    o = evaluate([], [])["overall"]
    assert o["n_gold"] == 0 and o["overlap"]["f1"] is None
    o = evaluate([article(topo("Saraqib", *SARAQIB, kind="camp"))], [])["overall"]
    assert o["overlap"]["precision"] is None and o["overlap"]["f1"] == 0.0
    assert o["end_to_end"]["accuracy"] == 0.0


def test_format_report_has_rows_and_columns() -> None:
    g1 = topo("Saraqib", *SARAQIB, kind="populated_place", country="SY")
    g2 = topo("Tripoli", 32.89, 13.19, kind="populated_place", country="LY")
    report = format_report(evaluate([article(g1, g2)], [article(g1)], theatre_of=by_longitude))
    lines = report.splitlines()
    for column in ("P ex", "F1 ov", "@161", "@tol", "med km", "AUC", "e2e", "n gold"):
        assert column in lines[0]
    assert lines[2].startswith("overall")
    assert any(line.startswith("idlib") for line in lines)
    libya = next(line for line in lines if line.startswith("libya"))
    assert libya.split()[1:3] == ["-", "0.000"]  # no predictions: precision undefined
    assert report.endswith("\n")


def test_invalid_records_raise_input_error() -> None:
    g = topo("Saraqib", *SARAQIB, kind="populated_place")
    with pytest.raises(InputError, match="duplicate article id"):
        evaluate([article(g), article(g)], [])
    with pytest.raises(InputError, match="no 'id'"):
        evaluate([{"toponyms": []}], [])
    with pytest.raises(InputError, match="lat"):
        evaluate([article(dict(g, lat=None))], [])
    with pytest.raises(InputError, match="start"):
        evaluate([article(g)], [article(dict(g, start="3"))])


def test_load_jsonl(tmp_path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text('{"id": "a", "toponyms": []}\n\n{"id": "b", "toponyms": []}\n')
    assert [r["id"] for r in load_jsonl(path)] == ["a", "b"]


@pytest.mark.parametrize(
    ("content", "line", "problem"),
    [
        ('{"id": "a"}\n{"id": \n', 2, "not valid JSON"),
        ('{"id": "a"}\n\n[1, 2]\n', 3, "expected a JSON object"),
        ('{"id": "a"}\r\n{"id": "b"} x\r\n', 2, "not valid JSON (Extra data at column 13)"),
        (b'{"id": "a"}\n{"id": "\xff"}\n', 2, "not UTF-8"),
    ],
)
def test_load_jsonl_reports_file_and_line(tmp_path, content, line: int, problem: str) -> None:
    path = tmp_path / "broken.jsonl"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    with pytest.raises(InputError) as info:
        load_jsonl(path)
    assert str(info.value).startswith(f"{path}:{line}: {problem}")


def test_load_jsonl_missing_file_or_folder(tmp_path) -> None:
    with pytest.raises(InputError, match=r"absent.jsonl: no such file"):
        load_jsonl(tmp_path / "absent.jsonl")
    with pytest.raises(InputError, match=r"is a directory, not a JSON Lines file"):
        load_jsonl(tmp_path)


def test_load_jsonl_reads_as_every_jsonl_input_is_read(tmp_path) -> None:
    # frontmap.files.jsonl_lines: a byte-order mark, CRLF ends, UTF-16.
    path = tmp_path / "gold.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"id": "a"}\r\n{"id": "caf\xc3\xa9"}\r\n')
    assert [r["id"] for r in load_jsonl(path)] == ["a", "café"]
    path.write_bytes('{"id": "ü"}\n'.encode("utf-16"))
    assert load_jsonl(path) == [{"id": "ü"}]
    path.write_bytes(b'{"id": "a"}\n\x00\x01')
    with pytest.raises(InputError, match="binary file"):
        load_jsonl(path)
