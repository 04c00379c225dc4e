"""axe-core (vendored from the npm registry) run in the page: WCAG 2.0/2.1 A and AA rules.

The script is injected through the test's browser context only (`bypass_csp`), so the strict
Content-Security-Policy that users get stays exactly as it is.
"""
from __future__ import annotations

from pathlib import Path

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}


def axe_violations(page) -> list[dict]:
    """Violations of impact serious or critical on the page as it stands."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE_SOURCE)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS)
    return [v for v in result["violations"] if v.get("impact") in BLOCKING]


def describe(url: str, violations: list[dict]) -> list[str]:
    lines = []
    for v in violations:
        targets = ", ".join(" ".join(n["target"]) for n in v["nodes"][:3])
        lines.append(f"{url}: {v['id']} ({v['impact']}) {v['help']} -> {targets}")
    return lines
