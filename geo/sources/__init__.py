"""Converters of third-party place data into the files of ``data/gazetteer/``.

Each module reads an upstream snapshot that no package registry carries and
writes a compact derived file that is committed with its provenance; they run
by hand when the data is refreshed (``python -m frontmap.geo.sources.wof
PATH...``), never at run time.
"""
