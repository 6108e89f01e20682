"""Take docs/stepper_inline.png, the README's picture of ``cr.stepper(o)`` in a notebook.

The tour's neuron, shown as Jupyter shows the cell's output (the stepper's HTML under a
line of code), in headless Chromium, four steps in. Needs chromium and chromedriver
(apt-get install chromium chromium-driver) and the dev extra (selenium). Run:
``.venv/bin/python scripts/stepper_screenshot.py [path]``.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from chainrule.viz.stepper import stepper
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
sys.path.insert(0, str(ROOT / "tests"))  # the tour's neuron, as the notebook test builds it
from stepper_browser import tour_neuron  # noqa: E402

CELL = ('<pre style="background:#f5f5f5;border:1px solid #e0e0e0;padding:6px 10px;'
        'font-size:14px;margin:0 0 10px">In [6]: cr.stepper(o)</pre>')


def main(path: Path = DOCS / "stepper_inline.png", clicks: int = 4) -> Path:
    html = stepper(tour_neuron())._repr_html_()
    folder = Path(tempfile.mkdtemp(prefix="chainrule-shot-"))
    page = folder / "cell.html"
    page.write_text(f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>'
                    f'<div id="cell" style="width:1000px;padding:12px">{CELL}{html}</div>'
                    "</body></html>", encoding="utf-8")
    os.environ["SE_OFFLINE"] = "true"  # never let Selenium Manager download anything
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                 f"--user-data-dir={folder / 'profile'}", "--window-size=1100,1400"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options,
                              service=Service(executable_path="/usr/bin/chromedriver"))
    try:
        driver.get(page.as_uri())
        prefix = html[len('<div id="'):html.index('"', len('<div id="'))]
        for _ in range(clicks):
            driver.find_element("id", f"{prefix}-next").click()
        path.write_bytes(driver.find_element("id", "cell").screenshot_as_png)
    finally:
        driver.quit()
        shutil.rmtree(folder, ignore_errors=True)
    return path


if __name__ == "__main__":
    print(main(*(Path(arg) for arg in sys.argv[1:2])))
