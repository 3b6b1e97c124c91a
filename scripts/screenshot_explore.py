"""The README's screenshot of the Explore tab (docs/screenshot-explore.png): the real app over the
shipped guide and 30 published pages from ../shared/guides/bls, driven by Debian's chromium.

    PYTHONPATH=src .venv/bin/python scripts/screenshot_explore.py [out.png]
"""

from __future__ import annotations

import shutil
import socket
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BLS = ROOT.parent / "shared" / "guides" / "bls"
PAGES = (
    "welders-cutters-solderers-and-brazers bakers electricians plumbers-pipefitters-and-steamfitters "
    "dental-hygienists registered-nurses software-developers web-developers "
    "heating-air-conditioning-and-refrigeration-mechanics-and-installers "
    "automotive-service-technicians-and-mechanics wind-turbine-technicians solar-photovoltaic-installers "
    "roofers machinists-and-tool-and-die-makers medical-assistants pharmacy-technicians "
    "emts-and-paramedics firefighters police-and-detectives heavy-and-tractor-trailer-truck-drivers "
    "line-installers-and-repairers sheet-metal-workers "
    "industrial-machinery-mechanics-and-maintenance-workers-and-millwrights "
    "electrical-and-electronics-engineering-technicians physical-therapist-assistants-and-aides "
    "information-security-analysts cooks barbers-hairstylists-and-cosmetologists construction-managers "
    "surgical-technologists"
).split()
TIMEOUT = 120_000


def shoot(url: str, out: Path) -> None:
    """Compare three occupations and find some by filters in the app at ``url``; save the page."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is needed: apt-get install -y --no-install-recommends chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        pg = browser.new_page(viewport={"width": 1280, "height": 900})
        pg.goto(url)
        pg.wait_for_selector("#cb-input textarea", timeout=TIMEOUT)
        pg.get_by_role("tab", name="Explore").click()

        def choose(dropdown: str, text: str) -> None:
            box = pg.locator(f"{dropdown} input").first
            box.click()
            box.fill(text)
            pg.get_by_role("option", name=text).first.click()

        for name in ("Electricians", "Plumbers", "Wind Turbine"):
            choose("#cb-compare-pick", name)
        pg.click("#cb-compare-go")
        pg.wait_for_selector("#cb-compare-out table", timeout=TIMEOUT)
        pg.wait_for_selector("#cb-growth-chart canvas, #cb-growth-chart svg", timeout=TIMEOUT)
        choose("#cb-edu-max", "High school")
        pg.fill("#cb-min-pay input", "50000")
        choose("#cb-outlook-min", "As fast")
        pg.click("#cb-find-go")
        pg.wait_for_selector("#cb-found [data-testid^='cell-']", timeout=TIMEOUT)
        pg.wait_for_timeout(1500)  # the charts' own transition
        out.parent.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(out), full_page=True)
        browser.close()


def main(out: Path) -> None:
    """Serve the app over the shipped guide and ``PAGES`` on 127.0.0.1 and shoot it."""
    from careerbot.config import Settings
    from careerbot.engine import Engine
    from careerbot.web import build_app, launch_options

    work = Path(tempfile.mkdtemp(prefix="careerbot-shot-"))
    corpus = work / "corpus"
    corpus.mkdir()
    shutil.copy(ROOT / "corpus" / "lead-technician.txt", corpus)
    for page in PAGES:
        shutil.copy(BLS / f"{page}.html", corpus)
    settings = Settings.from_env({}, corpus_dir=corpus, index_dir=work / "index")
    demo = build_app(Engine(settings), settings)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    demo.launch(**launch_options(settings, "127.0.0.1", port), prevent_thread_lock=True, quiet=True)
    try:
        shoot(f"http://127.0.0.1:{port}/", out)
    finally:
        demo.close()
        shutil.rmtree(work, ignore_errors=True)
    print(out)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshot-explore.png")
