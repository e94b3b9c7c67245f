"""Make the README's pictures from the example articles, in Debian's headless Chromium.

Run from the repository's root after ``./setup.sh``::

    .venv/bin/python docs/pictures.py            # rewrites docs/*.png
    .venv/bin/python docs/pictures.py --all OUT  # and screenshots of every output in OUT

It runs ``frontmap map`` and ``frontmap report`` on ``examples/articles.jsonl``
(the interactive maps, a fragment set and an iframe set, and a print image per
format), opens each page in Chromium with every non-``file:`` request aborted,
and saves what an analyst sees: the Idlib map, the Caucasus map on a phone,
the report, the maps embedded in a page whose stylesheet is hostile
(``svg{max-width:100%;height:auto}``, ``*{box-sizing:content-box}``, a global
``div{...}``), and the A4 print image. No network is used; the pictures are
not part of the tests.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "maps"))

from maps_testdata import CHROMIUM, CHROMIUM_ARGS, HOSTILE_CSS  # noqa: E402

ARTICLES = ROOT / "examples" / "articles.jsonl"
FRONTMAP = [sys.executable, "-m", "frontmap.cli"]


def frontmap(*args: str) -> None:
    subprocess.run([*FRONTMAP, *args], check=True, stdout=subprocess.DEVNULL)


def outputs(out: Path) -> dict[str, Path]:
    """Every output of the example articles, written under ``out``."""
    frontmap("map", str(ARTICLES), "-o", str(out / "maps"))
    frontmap("map", str(ARTICLES), "-o", str(out / "fragments"), "--embed", "fragment")
    frontmap("map", str(ARTICLES), "-o", str(out / "iframes"), "--embed", "iframe")
    frontmap("report", str(ARTICLES), "-o", str(out / "report.html"), "--title", "This week")
    for fmt in ("png", "svg", "pdf"):
        frontmap(
            "map", str(ARTICLES), "-o", str(out / fmt), "--format", fmt, "--paper", "a4",
            "--dpi", "110",
        )  # fmt: skip
    fragments = out / "fragments"
    host = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width'><title>A CMS page</title>"
        f"<style>{HOSTILE_CSS}</style></head><body><h1>A CMS page</h1>"
        "<p>The page's stylesheet sets svg{max-width:100%;height:auto} and a global div{...}.</p>"
        + (fragments / "idlib.fragment.html").read_text(encoding="utf-8")
        + "<p>Between the maps.</p>"
        + (fragments / "caucasus.fragment.html").read_text(encoding="utf-8")
        + (fragments / "frontmap-assets.html").read_text(encoding="utf-8")
        + "</body></html>"
    )
    (out / "host.html").write_text(host, encoding="utf-8")
    iframe = (out / "iframes" / "libya.iframe.html").read_text(encoding="utf-8")
    (out / "iframes" / "page.html").write_text(
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>iframe</title>"
        f"<style>{HOSTILE_CSS}</style></head><body><h1>An iframe</h1>{iframe}</body></html>",
        encoding="utf-8",
    )
    return {
        "idlib": out / "maps" / "idlib.html",
        "libya": out / "maps" / "libya.html",
        "caucasus": out / "maps" / "caucasus.html",
        "index": out / "maps" / "index.html",
        "report": out / "report.html",
        "host": out / "host.html",
        "iframe": out / "iframes" / "page.html",
        "svg": out / "svg" / "libya.svg",
    }


def shoot(page, path: Path, target: Path, *, ready: bool = True, full: bool = False) -> None:
    page.goto(path.as_uri())
    if ready:
        page.wait_for_selector("[data-frontmap-ready]", timeout=20_000)
    page.wait_for_timeout(500)
    page.screenshot(path=str(target), full_page=full)


def pictures(files: dict[str, Path], docs: Path, every: Path | None) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        desk = browser.new_page(viewport={"width": 1100, "height": 720})
        desk.route(
            "**/*",
            lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort(),
        )
        phone = browser.new_page(viewport={"width": 390, "height": 760}, device_scale_factor=1)
        shoot(desk, files["idlib"], docs / "example-idlib.png")
        shoot(phone, files["caucasus"], docs / "example-phone.png")
        desk.goto(files["report"].as_uri())
        desk.wait_for_selector("[data-frontmap-table]")
        desk.locator("#fm-t0-2").click()  # Saraqib in the text: its popup on the map
        desk.wait_for_timeout(700)
        desk.screenshot(path=str(docs / "example-report.png"))
        printed = files["idlib"].parent.parent / "png" / "caucasus.png"
        shutil.copyfile(printed, docs / "example-print.png")
        if every is None:
            browser.close()
            return
        for name in ("libya", "caucasus", "index"):
            shoot(desk, files[name], every / f"{name}.png", ready=name != "index")
        shoot(desk, files["host"], every / "host.png", full=True)
        shoot(phone, files["host"], every / "host-phone.png", full=True)
        desk.goto(files["iframe"].as_uri())
        desk.frame_locator("iframe").locator("[data-frontmap-ready]").wait_for()
        desk.wait_for_timeout(500)
        desk.screenshot(path=str(every / "iframe.png"))
        shoot(desk, files["svg"], every / "libya-svg.png", ready=False)
        shoot(phone, files["report"], every / "report-phone.png", ready=False)
        browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", type=Path, metavar="OUT", help="also every output, screenshot")
    args = parser.parse_args(argv)
    docs = ROOT / "docs"
    with tempfile.TemporaryDirectory(prefix="frontmap-pictures-") as tmp:
        out = args.all or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        pictures(outputs(out), docs, args.all)
    for picture in sorted(docs.glob("*.png")):
        print(picture.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
