"""The examples in the docstrings run (doctest), module by module.

pytest's ``--doctest-modules`` cannot import the folders geo/, layers/, maps/
under the names they install with (``frontmap.geo``...), so the modules are
imported as installed and their examples run here.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import frontmap


def _modules() -> list[str]:
    names = ["frontmap"]
    for info in pkgutil.walk_packages(frontmap.__path__, "frontmap."):
        if ".authoring" in info.name:  # layer-authoring scripts: not part of the package
            continue
        names.append(info.name)
    # walk_packages does not descend into the mapped subpackages: add theirs.
    for sub in ("geo", "layers", "maps"):
        package = importlib.import_module(f"frontmap.{sub}")
        names.append(package.__name__)
        names += [
            f"frontmap.{sub}.{m.name}"
            for m in pkgutil.iter_modules(package.__path__)
            if m.name != "authoring"
        ]
    return sorted(set(names))


def _with_examples() -> list[str]:
    finder = doctest.DocTestFinder(exclude_empty=True)
    out = []
    for name in _modules():
        module = importlib.import_module(name)
        if any(t.examples for t in finder.find(module, name)):
            out.append(name)
    return out


MODULES = _with_examples()


def test_the_examples_are_found() -> None:
    for name in ("frontmap.dates", "frontmap.theatres", "frontmap.geo", "frontmap.geo.names"):
        assert name in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str, gazetteer) -> None:
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report: list[str] = []
    for test in finder.find(module, name):
        runner.run(test, out=report.append)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, "".join(report)
