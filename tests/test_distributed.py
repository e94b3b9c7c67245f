"""frontmap.distributed: geoparsing on a Dask LocalCluster gives what one machine gives."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("distributed")
pytest.importorskip("dask_geopandas")

import dask.dataframe as dd  # noqa: E402
import geopandas as gpd  # noqa: E402
import pandas as pd  # noqa: E402

from frontmap import pipeline  # noqa: E402
from frontmap.cli import main  # noqa: E402
from frontmap.dates import parse_date  # noqa: E402
from frontmap.distributed import (  # noqa: E402
    TOPONYM_DTYPES,
    DaskExecutor,
    dask_client,
    geoparse_dataframe,
    read_articles_dataframe,
    write_geoparquet,
)
from frontmap.geo.articles import Article  # noqa: E402
from frontmap.schema import GEOPARSE_FIELDS  # noqa: E402

TEXTS = [
    "Shelling hit Saraqib and Binnish overnight; families fled north towards Atmeh.",
    "Fighting near Tarhuna and Gharyan pushed families towards Tripoli.",
    "Azerbaijani forces entered Shusha; Stepanakert came under fire.",
    "Nothing happened here.",
]
RECORDS = [
    {"id": f"a{i}", "text": TEXTS[i % 4], "date": ["2020-02-27", "2019-06-01", None][i % 3]}
    for i in range(12)
]


@pytest.fixture(scope="module")
def client():
    c = dask_client("local", workers=2)
    yield c
    cluster = c.cluster
    c.close()
    cluster.close()


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    path = tmp_path_factory.mktemp("in") / "in.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    return path


def test_columns_are_the_geoparse_fields() -> None:
    assert list(TOPONYM_DTYPES) == ["article_id", "article_date", *GEOPARSE_FIELDS]
    assert TOPONYM_DTYPES["zones"] is object and TOPONYM_DTYPES["precision"] == "Int64"


def test_the_cluster_as_worker_pool_gives_the_same_results(client, monkeypatch) -> None:
    monkeypatch.setattr(pipeline, "BATCH_ITEMS", 2)  # several batches in flight
    articles = [Article(r["id"], r["text"], None, None, None, r["id"]) for r in RECORDS]
    executor = DaskExecutor(client)
    assert executor.workers == 2
    here = [(r.article.id, r.rows) for r in pipeline.iter_geoparse(articles, jobs=1)]
    there = [(r.article.id, r.rows) for r in pipeline.iter_geoparse(articles, executor=executor)]
    assert here == there


def test_geoparse_command_on_dask_writes_the_same_bytes(tmp_path, source, capsys) -> None:
    one = tmp_path / "one.jsonl"
    dask = tmp_path / "dask.jsonl"
    assert main(["geoparse", str(source), "-o", str(one), "--jobs", "1"]) == 0
    assert main(["geoparse", str(source), "-o", str(dask), "--dask", "local", "--jobs", "2"]) == 0
    assert dask.read_bytes() == one.read_bytes()


def test_a_dataframe_of_articles_is_geoparsed_per_partition(client, tmp_path, source) -> None:
    frame = read_articles_dataframe([source], blocksize=400)  # several partitions
    assert frame.npartitions > 1
    toponyms = geoparse_dataframe(frame)
    got = toponyms.compute()
    assert got.crs.to_epsg() == 4326
    rows = [
        {"article_id": r.article.id, **{k: t[k] for k in GEOPARSE_FIELDS}}
        for r in pipeline.iter_geoparse(
            [Article(x["id"], x["text"], parse_date(x["date"]), None, None, "") for x in RECORDS],
            sentences=False,
        )
        for t in r.rows
    ]
    expected = pd.DataFrame(rows)
    assert got["article_id"].tolist() == expected["article_id"].tolist()
    assert got["surface"].tolist() == expected["surface"].tolist()

    def plain(values):
        return [None if v is None or v != v else v for v in values]

    assert plain(got["control"]) == plain(expected["control"])
    assert plain(got["front_km"]) == plain(expected["front_km"])
    write_geoparquet(toponyms, tmp_path / "out")
    back = gpd.read_parquet(tmp_path / "out")
    assert len(back) == len(got) and back.crs.to_epsg() == 4326


def test_from_pandas(client) -> None:
    frame = dd.from_pandas(pd.DataFrame(RECORDS[:4]), npartitions=2)
    got = geoparse_dataframe(frame, join=False).compute()
    assert set(got["article_id"]) == {"a0", "a1", "a2"}  # a3 names no place
