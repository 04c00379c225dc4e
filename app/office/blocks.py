"""A procedure's Markdown body as a flat list of blocks (headings, paragraphs, items, tables) for Office writers."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_ORDERED = re.compile(r"^(\s*)(\d{1,3})[.)]\s+(.*)$")
_BULLET = re.compile(r"^(\s*)[-*+]\s+(.*)$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_EMPH = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")


@dataclass
class Block:
    kind: str                      # heading | paragraph | item | table | rule
    text: str = ""
    level: int = 0                 # heading level, or list nesting depth
    marker: str = ""               # "1." for ordered items, "•" for bullets
    rows: list[list[str]] = field(default_factory=list)  # a table's cells, first row the header


def plain(text: str) -> str:
    """Inline Markdown reduced to what a printed page shows: link texts, no emphasis marks."""
    text = _LINK.sub(r"\1", text)
    for _ in range(3):
        text = _EMPH.sub(r"\2", text)
    return text.replace("\\|", "|").replace("<br>", " ").strip()


def _cells(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    return [plain(c) for c in re.split(r"(?<!\\)\|", line)]


def parse_blocks(body: str) -> list[Block]:
    lines = (body or "").split("\n")
    blocks: list[Block] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            blocks.append(Block("paragraph", plain(" ".join(s.strip() for s in para))))
            para.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            flush()
            i += 1
            continue
        if "|" in line and i + 1 < len(lines) and _TABLE_RULE.match(lines[i + 1]):
            flush()
            rows = [_cells(line)]
            i += 2
            while i < len(lines) and "|" in lines[i] and lines[i].strip():
                rows.append(_cells(lines[i]))
                i += 1
            width = max(len(r) for r in rows)
            blocks.append(Block("table", rows=[r + [""] * (width - len(r)) for r in rows]))
            continue
        if m := _HEADING.match(line):
            flush()
            blocks.append(Block("heading", plain(m.group(2)), level=len(m.group(1))))
        elif m := _ORDERED.match(line):
            flush()
            blocks.append(Block("item", plain(m.group(3)), level=len(m.group(1)) // 2, marker=f"{m.group(2)}."))
        elif m := _BULLET.match(line):
            flush()
            blocks.append(Block("item", plain(m.group(2)), level=len(m.group(1)) // 2, marker="•"))
        elif re.fullmatch(r"\s*([-*_])(\s*\1){2,}\s*", line):
            flush()
            blocks.append(Block("rule"))
        elif blocks and blocks[-1].kind == "item" and not para and line.startswith("  "):
            blocks[-1].text += " " + plain(line)  # continuation of a list item
        else:
            para.append(line)
        i += 1
    flush()
    return blocks
