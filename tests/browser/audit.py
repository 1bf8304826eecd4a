"""axe-core (axe-playwright-python, which carries its own copy of axe.min.js) and the Content-Security-Policy
watch, for the browser tests that walk many pages.

Each axe run is kept beside the screenshots: `screenshots/axe/<group>-<page>.json` (axe's violations as it
reports them) and one line per page in `screenshots/axe/<group>-summary.txt`.
"""

from __future__ import annotations

import json
from collections import Counter

from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import SCREENSHOTS

AXE_DIR = SCREENSHOTS / "axe"
IMPACTS = ("critical", "serious", "moderate", "minor")
# WCAG 2.1 A and AA (GB/T 37668-2019 takes its criteria from WCAG 2.0/2.1) and axe's best practices.
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
}

# Records every securitypolicyviolation event of the page, from before its first script runs.
CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(event.violatedDirective + ' ' + (event.blockedURI || 'inline') + ' ' +
    (event.sourceFile || '') + ':' + (event.lineNumber || ''));
});
"""


def watch_csp(page) -> list[str]:
    """Collect Content-Security-Policy violations of every page the tab opens (events and console messages)."""
    found: list[str] = []
    page.add_init_script(CSP_WATCH)
    page.on(
        "console",
        lambda message: found.append(f"console: {message.text}") if "Content Security Policy" in message.text else None,
    )
    page.csp_violations = found
    return found


def csp_violations(page) -> list[str]:
    """What the watch saw on the current page, plus the console messages so far."""
    events = page.evaluate("window.__cspViolations || []")
    return [*page.csp_violations, *events]


class Audit:
    """axe runs over one group of pages, each kept as a report; `serious` lists the pages that fail."""

    def __init__(self, group: str):
        AXE_DIR.mkdir(parents=True, exist_ok=True)
        self.group = group
        self.axe = Axe()
        self.lines: list[str] = []
        self.serious: dict[str, list[str]] = {}

    def run(self, page, name: str) -> Counter:
        page.wait_for_load_state("load")
        results = self.axe.run(page, options=AXE_OPTIONS)
        violations = results.response["violations"]
        counts = Counter()
        for violation in violations:
            counts[violation["impact"]] += len(violation["nodes"])
        (AXE_DIR / f"{self.group}-{name}.json").write_text(
            json.dumps({"url": page.url, "violations": violations}, ensure_ascii=False, indent=1)
        )
        rules = ", ".join(f"{v['id']}({v['impact']}×{len(v['nodes'])})" for v in violations)
        figures = " ".join(f"{impact} {counts[impact]}" for impact in IMPACTS)
        self.lines.append(f"{name:24} {figures} | {rules or '—'}")
        bad = [
            f"{v['id']}: {node['target']}"
            for v in violations
            if v["impact"] in ("critical", "serious")
            for node in v["nodes"]
        ]
        if bad:
            self.serious[name] = bad
        return counts

    def save(self) -> None:
        (AXE_DIR / f"{self.group}-summary.txt").write_text("\n".join(self.lines) + "\n")
