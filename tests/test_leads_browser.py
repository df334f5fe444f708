"""The sample's lead pages as a volunteer sees them: a real headless Chromium on a phone (390 px),
on a laptop (1280 px), and printed to PDF on Letter and A4.

Needs Debian's ``chromium`` (``.ci/run`` installs it). Outside CI the tests skip without it; under
``CI=true`` they fail, so a CI machine never passes them silently.
"""

from __future__ import annotations

import io
import re

import pytest

from tests.chromium import launch

NOTE = "Confidencial: datos personales de niñas, niños y sus familias."

#: what a page looks like to a reader, measured in the page
MEASURE = r"""
() => {
  const textNodes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.textContent.trim()) textNodes.push(node);
  }
  const sizes = textNodes.map(n => parseFloat(getComputedStyle(n.parentElement).fontSize));
  // a word drawn on two lines was broken mid-word
  const broken = [];
  const range = document.createRange();
  for (const node of textNodes) {
    const re = /\S+/g;
    let m;
    while ((m = re.exec(node.textContent)) !== null) {
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
      if (tops.size > 1) broken.push(m[0]);
    }
  }
  // boxes of text that are not nested in each other must not overlap
  const boxes = [...document.querySelectorAll("h1, h2, h3, p, dt, dd, li > strong, a, span")]
    .map(el => [el, el.getBoundingClientRect()]).filter(([, r]) => r.width && r.height);
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, ra] = boxes[i], [b, rb] = boxes[j];
      if (a.contains(b) || b.contains(a)) continue;
      const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
      const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
      if (w > 1 && h > 1) overlaps.push(a.textContent.slice(0, 30) + " / " + b.textContent);
    }
  }
  const phoneLabels = [...document.querySelectorAll("dt")]
    .filter(dt => dt.textContent === "Teléfonos");
  const phoneText = phoneLabels.map(dt => {
    const dd = dt.nextElementSibling.cloneNode(true);
    dd.querySelectorAll('a[href^="tel:"]').forEach(a => a.remove());
    return dd.textContent.trim();
  }).filter(t => t);
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    minFont: Math.min(...sizes),
    broken: broken.slice(0, 5),
    overlaps: overlaps.slice(0, 5),
    phonesNotLinked: phoneText,
    telLinks: document.querySelectorAll('a[href^="tel:"]').length,
  };
}
"""


@pytest.fixture(scope="module")
def browser():
    yield from launch()


@pytest.fixture(scope="module")
def pages(sample_job):
    """The four longest sheets and the two shortest (every shape of case, in bounded time)."""
    paths = sorted((sample_job / "leads").glob("*.html"), key=lambda p: (-p.stat().st_size, p.name))
    chosen = paths[:4] + paths[-2:]
    text = " ".join(p.read_text(encoding="utf-8") for p in chosen)
    assert "Casos sin pista fuerte" in text and "candidatos también en" in text
    return chosen


@pytest.mark.parametrize("width", [390, 1280])
def test_sheets_read_on_a_phone_and_a_laptop(browser, pages, width):
    page = browser.new_page(viewport={"width": width, "height": 844})
    phones = 0
    for path in pages:
        page.goto(path.as_uri())
        seen = page.evaluate(MEASURE)
        name = f"{path.name} at {width} px"
        assert seen["scrollWidth"] <= seen["innerWidth"], name
        assert seen["minFont"] >= 14, name
        assert seen["broken"] == [], name
        assert seen["overlaps"] == [], name
        assert seen["phonesNotLinked"] == [], name
        phones += seen["telLinks"]
    page.close()
    assert phones > 20  # the sample's leads do carry phones, and each is a tel: link


def _pdf_pages(data: bytes) -> list[str]:
    from pypdf import PdfReader

    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages]


@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_printed_sheets_keep_each_case_on_one_page_with_the_note(browser, pages, paper):
    page = browser.new_page()
    for path in pages:
        page.goto(path.as_uri())
        cases = page.evaluate(
            """() => [...document.querySelectorAll("section.case, ul.weak > li")].map(s => [
                s.id.slice(5),
                [...s.querySelectorAll("article.lead")].map(a => a.dataset.fieldId),
            ])"""
        )
        printed = _pdf_pages(page.pdf(format=paper))
        for number, text in enumerate(printed, start=1):
            assert NOTE in text, f"{path.name} page {number} on {paper}"
        for case, field_ids in cases:
            on = [i for i, text in enumerate(printed) if re.search(rf"\b{case}\b", text)]
            assert len(on) == 1, f"{path.name}: case {case} on pages {on} on {paper}"
            for field_id in field_ids:
                assert field_id in printed[on[0]], f"{path.name}: {case}/{field_id} on {paper}"
    page.close()
