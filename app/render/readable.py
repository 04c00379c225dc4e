"""Markdown as the lines a reader sees (no #, |, *, ---), so a diff of two versions reads like the document."""
from __future__ import annotations

import re

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_BULLET = re.compile(r"^(\s*)([-*+])\s+")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_FENCE = re.compile(r"^\s*(```|~~~)")


def _inline(text: str) -> str:
    text = _LINK.sub(r"\1", text)
    for _ in range(2):  # nested emphasis, e.g. **_word_**
        text = _EMPHASIS.sub(r"\2", text)
    return text.replace("\\|", "|").strip()


def readable_text(markdown_text: str) -> str:
    """One readable line per heading, paragraph line, list item or table row (cells joined by " · ")."""
    out: list[str] = []
    for raw in (markdown_text or "").replace("\r\n", "\n").split("\n"):
        line = raw.rstrip()
        if _FENCE.match(line):
            continue
        if _RULE.match(line) and "-" in line:
            continue
        heading = _HEADING.match(line)
        if heading:
            out.append(_inline(heading.group(1)).upper() if line.lstrip().startswith("# ") else
                       _inline(heading.group(1)))
            continue
        if line.lstrip().startswith("|"):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
            out.append(" · ".join(_inline(c) for c in cells if c.strip()) or "")
            continue
        bullet = _BULLET.match(line)
        if bullet:
            out.append("• " + _inline(line[bullet.end():]))
            continue
        out.append(_inline(line))
    # collapse runs of blank lines: they carry no meaning for the reader
    lines: list[str] = []
    for line in out:
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)
