"""Match a parsed query in tiers and rank the matches with BM25 over term lists (app/search/postings.py)."""

from __future__ import annotations

import heapq
from bisect import bisect_left

from app.search.models import ALL
from app.search.postings import Snapshot
from app.search.query import MIN_PREFIX, Clause, ParsedQuery

# Field weights: title and code outrank the body. A word typed with diacritics scores through its
# exact spelling; in the fallback tiers its folded spelling (other words too: "bố" for "bộ") adds
# W_FOLDED_SHARE of the folded weight.
W_CONTENT, W_EXACT, W_TITLE, W_TITLE_EXACT, W_CODE_TEXT = 1.0, 1.0, 1.5, 1.5, 3.0
W_CODE, W_CODE_PREFIX, W_PAIR, W_ADJACENT, W_PREFIX = 12.0, 4.0, 1.0, 0.5, 1.0
W_FOLDED_SHARE = 0.25
DRAFT_LOOKUPS = 300  # matching drafts above which restrict() reads the whole code column
W_REF = 2.0  # a legal reference typed as "Nghị định 61" (several words, one term)
# The "partial" tier (words in no procedure left out) answers only when what is left is specific: found in
# at most this share of the procedures. Otherwise the reduced search is offered as a suggestion.
PARTIAL_MAX_SHARE = 1 / 3
PARTIAL_MIN_COMMON = 5  # in a handful of procedures every word is in a third of them: not "common"


def _clause_text(clause: Clause) -> str:
    if clause.kind == "prefix":
        return clause.text + "*"
    if clause.kind == "text" and len(clause.folded) > 1 and " " in clause.text:
        return f'"{clause.text}"'
    return clause.text


def _intersect(sets) -> set[int]:
    """A new set: the documents in every one of *sets* (smallest first, so each step is cheap)."""
    ordered = sorted(sets, key=len)
    if not ordered:
        return set()
    result = ordered[0]
    for docs in ordered[1:]:
        result = result & docs
        if not result:
            return set()
    return result if len(ordered) > 1 else set(result)


class Evaluation:
    """Match a parsed query against a snapshot, then rank or sort the matches on demand.

    Matching goes in tiers, and says which one answered (``tier``):
    ``all``     every word, each as typed: a word typed with diacritics only in that spelling (up to
                i/y and tone-placement variants), a word typed without them in any;
    ``folded``  no procedure has them all as typed: every word, diacritics ignored ("bố" for "bộ");
    ``partial`` none has them all even so, and some words are in no procedure at all: those words
                are left out (``dropped``) if at least two thirds of the words remain.
    """

    def __init__(self, snap: Snapshot, parsed: ParsedQuery):
        self.snap, self.parsed = snap, parsed
        self.weights: list[tuple[str, str, float]] = []  # (field, term, weight) summed into scores
        self.flat: list[tuple[set[int], float]] = []  # constant bonuses for sets of documents (prefixes)
        self.shadowed: set[str] = set()
        self.tier = "all"
        self.dropped: tuple[str, ...] = ()  # words left out by the "partial" tier
        self.suggestion: str | None = None  # the reduced query offered instead of too common results
        # Every matched word as typed (so only those spellings are highlighted).
        self.spelled_as_typed = True
        self._memo: dict[tuple[str, str], set[int]] = {}
        self.matches = self._match()

    def _match(self) -> set[int]:
        groups = self.parsed.groups
        result = self._tiers(groups)
        for group in groups:
            for clause in group:
                self._score(clause)
        for pair in self.parsed.adjacent_pairs:
            self.weights.append(("pairs", pair, W_ADJACENT))
        return result

    def _tiers(self, groups) -> set[int]:
        result = _intersect(self._group_docs(g, strict=True) for g in sorted(groups, key=len))
        if result:
            # Syllables found side by side with the query's neighbouring ones, as Vietnamese words are
            # typed, before the same syllables scattered over the text ("hợp" of "công bố hợp quy").
            near = _intersect([result] + [a for a in self._anchors() if a is not None])
            if near:
                result = near
        if not result and any(a for g in groups for c in g if c.kind == "text" for a in c.accented):
            result = _intersect(self._folded_sets())
            self.tier = "folded" if result else self.tier
            self.spelled_as_typed = not result
        if not result and len(groups) > 2:
            # Words found in no procedure at all (typos, other topics) are left out, and the page says so.
            known = self._known_groups()
            if known and 3 * len(known) >= 2 * len(groups):
                self.dropped = tuple(" ".join(c.text for c in g) for g in groups if g not in known)
                result = _intersect(self._group_docs(g, strict=True) for g in known)
                scattered = result
                if not result:
                    result = _intersect(self._group_docs(g, strict=False) for g in known)
                    self.spelled_as_typed = False
                else:
                    anchors = [a for g, a in zip(groups, self._anchors()) if g in known and a is not None]
                    result = _intersect([result] + anchors) or result
                if result and self._too_common(scattered or result):
                    # What is left says little ("đăng ký kết" of "đăng ký kết hôn": in most procedures), so
                    # no result is shown; the page offers the reduced search as a link instead.
                    self.suggestion = self._suggest(known)
                    self.tier = "suggest"
                    result = set()
                self.tier = "partial" if result else self.tier
        if not result:
            return set()
        for clause in self.parsed.negatives:
            result = result - self._clause(clause, strict=False)
        return result - self.snap.deleted

    def _too_common(self, result: set[int]) -> bool:
        """The words left, anywhere in a text, are in more than PARTIAL_MAX_SHARE of the procedures (and
        in PARTIAL_MIN_COMMON at least): what they find is not what was asked."""
        found = len(result - self.snap.deleted)
        return found >= PARTIAL_MIN_COMMON and found > PARTIAL_MAX_SHARE * self.snap.doc_count

    def _suggest(self, known: list) -> str:
        """The words left, minus a syllable typed next to a missing one that seldom stands beside the
        word on its other side, compared with how often that word stands beside its own other
        neighbour: it belonged to the missing word. "đăng ký kết hôn" suggests "đăng ký" ("ký kết" is
        rare beside "đăng ký"); "đánh giá nội bộ xyz" keeps "bộ" ("nội bộ" goes with "giá nội")."""
        groups = list(self.parsed.groups)
        missing = {i for i, g in enumerate(groups) if g not in known}
        folded = [g[0].folded if len(g) == 1 and g[0].kind == "text" else None for g in groups]

        def usable(i: int) -> bool:
            return 0 <= i < len(groups) and i not in missing and folded[i] is not None

        def pair_docs(a: int, b: int) -> set[int]:
            a, b = min(a, b), max(a, b)
            return self._docs("pairs", f"{folded[a][-1]} {folded[b][0]}")

        keep = []
        for i, group in enumerate(groups):
            if i in missing:
                continue
            if usable(i) and (i - 1 in missing or i + 1 in missing):
                step = 1 if i - 1 in missing else -1
                other, beyond = i + step, i + 2 * step
                if usable(other):
                    usual = (pair_docs(other, beyond) if usable(beyond)
                             else self._docs("content_folded", folded[other][-1]))
                    if len(pair_docs(i, other)) * 2 < len(usual):
                        continue
            keep.append(group)
        keep = keep or known
        return " ".join(" OR ".join(_clause_text(c) for c in g) for g in keep)

    def _known_groups(self) -> list:
        """The query's words minus those in no procedure, and minus a neighbour syllable that only
        makes sense with the missing one ("kết" of "kết hôn": "ký kết" is in no procedure either)."""
        groups = list(self.parsed.groups)
        known = [bool(self._group_docs(g, strict=False)) for g in groups]
        keep = list(known)
        folded = [g[0].folded if len(g) == 1 and g[0].kind == "text" else None for g in groups]
        for i, ok in enumerate(known):
            if ok:
                continue
            for j, other in ((i - 1, i - 2), (i + 1, i + 2)):
                if not (0 <= j < len(groups) and keep[j] and folded[j]):
                    continue
                paired = (0 <= other < len(groups) and folded[other] and self._docs(
                    "pairs", " ".join((folded[other][-1], folded[j][0]) if other < j
                                      else (folded[j][-1], folded[other][0]))))
                if not paired:
                    keep[j] = False
        return [g for g, k in zip(groups, keep) if k] if not all(known) else []

    def _docs(self, field: str, term: str) -> set[int]:
        """The snapshot's documents for a term, built once per query (tiers and anchors ask again)."""
        key = (field, term)
        if key not in self._memo:
            self._memo[key] = self.snap.docs(field, term)
        return self._memo[key]

    def _group_docs(self, group, strict: bool) -> set[int]:
        """Documents matching any clause of an OR group (shared with the memo: do not change it)."""
        if len(group) == 1:
            return self._clause(group[0], strict)
        return set().union(*(self._clause(c, strict) for c in group))

    def _anchors(self) -> list[set[int] | None]:
        """Per query word (one-word groups only), the documents where it stands next to the word typed
        before or after it (folded pairs); None where that says nothing (one word, OR, prefixes)."""
        groups = self.parsed.groups
        if len(groups) < 2:
            return [None] * len(groups)
        texts = [g[0] if len(g) == 1 and g[0].kind == "text" else None for g in groups]
        anchors: list[set[int] | None] = []
        for i, clause in enumerate(texts):
            if clause is None or len(clause.folded) > 1:
                anchors.append(None)  # a phrase is its own anchor
                continue
            docs: set[int] = set()
            for j in (i - 1, i + 1):
                if 0 <= j < len(groups) and texts[j] is not None:
                    before, after = (texts[j], clause) if j < i else (clause, texts[j])
                    docs |= self._docs("pairs", f"{before.folded[-1]} {after.folded[0]}")
            anchors.append(docs if any(0 <= j < len(groups) and texts[j] for j in (i - 1, i + 1)) else None)
        return anchors

    def _folded_sets(self) -> list[set[int]]:
        """Each word's documents, diacritics ignored; a word typed with diacritics next to another
        word must, where not spelled as typed, stand next to that word as typed ("tài liêu" finds
        "tài liệu"; "hộ chiếu" does not find "hồ sơ ... chiếu xạ")."""
        sets = []
        for group, anchor in zip(self.parsed.groups, self._anchors()):
            docs = self._group_docs(group, strict=False)
            if anchor is not None and group[0].accented[0]:
                docs = docs & (anchor | self._clause(group[0], strict=True))
            sets.append(docs)
        return sets

    def _clause(self, clause: Clause, strict: bool) -> set[int]:
        """Documents matching one clause; *strict* holds words typed with diacritics to that spelling."""
        snap, folded = self.snap, clause.folded
        if clause.kind == "ref":
            return self._docs("refs", clause.text)
        if clause.kind == "prefix" and len(folded[-1]) >= MIN_PREFIX:
            docs = self._prefix(folded[-1])
            for t in folded[:-1]:
                docs = docs & snap.docs("content_folded", t)
            if clause.code:
                docs = docs | self._code_prefix(clause.code)
            return docs
        if len(folded) == 1 and strict and clause.accented[0]:
            docs = self._docs("content_tone", clause.exact[0])  # a subset of the folded word's documents
            strict = False
        elif len(folded) == 1:
            docs = self._docs("content_folded", folded[0])
        else:
            docs = self._phrase(folded)
        if strict:
            for e, accented in zip(clause.exact, clause.accented):
                if accented and docs:
                    docs = docs & self._docs("content_tone", e)
        if clause.code:
            docs = docs | self._docs("code_key", clause.code)
        return docs

    def _score(self, clause: Clause) -> None:
        """Add the clause's weighted terms; an accented word counts mostly through its exact spelling."""
        snap, weights, folded = self.snap, self.weights, clause.folded
        if clause.kind == "ref":
            weights.append(("refs", clause.text, W_REF))
            return
        if clause.kind == "prefix" and len(folded[-1]) >= MIN_PREFIX:
            docs = self._prefix(folded[-1])
            # A constant score, as Whoosh gives prefixes: scoring each of up to 64 expansions cost 80 ms.
            self.flat.append((docs, W_PREFIX * snap.idf_of(len(docs))))
            weights.extend(("content_folded", t, W_CONTENT) for t in folded[:-1])
            if clause.code:
                self.flat.append((self._code_prefix(clause.code), W_CODE_PREFIX))
            return
        if len(folded) > 1:
            weights.extend(("pairs", p, W_PAIR) for p in clause.pairs)
        for f, e, accented in zip(folded, clause.exact, clause.accented):
            # Where every word matched as typed, other spellings of an accented word add nothing (and
            # their term lists need not be read); in the looser tiers they count, for a share.
            if not accented:
                weights += [("content_folded", f, W_CONTENT), ("title_folded", f, W_TITLE)]
            elif self.tier != "all":
                weights += [("content_folded", f, W_CONTENT * W_FOLDED_SHARE),
                            ("title_folded", f, W_TITLE * W_FOLDED_SHARE)]
            weights.append(("code_text", f, W_CODE_TEXT))
            if accented:
                weights += [("content_tone", e, W_EXACT), ("title_tone", e, W_TITLE_EXACT)]
        if clause.code:
            weights.append(("code_key", clause.code, W_CODE))

    def _phrase(self, folded: tuple[str, ...]) -> set[int]:
        docs: set[int] = set()
        for seg in self.snap.segments:
            local = self.snap.cache.phrase(seg, folded)
            docs.update(local if seg.offset == 0 else (d + seg.offset for d in local))
        return docs

    def _prefix(self, stem: str) -> set[int]:
        """Documents holding a word starting with *stem* (shared with the memo: do not change it)."""
        key = ("#prefix", stem)
        if key not in self._memo:
            self._memo[key] = self.snap.prefix_docs("content_folded", stem)[1]
        return self._memo[key]

    def _code_prefix(self, prefix: str) -> set[int]:
        return {d for d, code in enumerate(self.snap.codes_folded()) if code.startswith(prefix)}

    def restrict(self, unit: str | None, status: str | None, draft_units) -> None:
        """Apply filters and draft visibility; a visible draft whose issued text also matched is folded into it."""
        snap, matches = self.snap, self.matches
        if unit:
            matches &= snap.docs("unit", unit)
        if status:
            matches &= snap.docs("status", status)
        drafts = snap.docs("variant", "draft") & matches
        if not drafts:
            return
        if draft_units is not ALL:
            units = {draft_units} if isinstance(draft_units, str) else set(draft_units or ())
            allowed = set().union(*(snap.docs("unit", u) for u in units))
            matches -= drafts - allowed
            drafts &= allowed
        if len(drafts) > DRAFT_LOOKUPS:
            # Many drafts: one pass over the code column is cheaper than a lookup each.
            codes, issued = snap.column("code"), snap.issued_by_code()
            pairs = ((d, codes[d], issued.get(codes[d], ())) for d in drafts)
        else:
            # Reading whole columns costs 100-300 ms on 10,000 documents when nothing is cached (after a
            # restart); a few lookups of single values and small term lists cost well under a millisecond.
            issued_docs = snap.docs("variant", "issued")
            pairs = ((d, code, snap.docs("code", code) & issued_docs)
                     for d in drafts for code in (snap.value(d, "code"),))
        for d, code, issued_docs_of_code in pairs:
            if any(s in matches for s in issued_docs_of_code):
                matches.discard(d)
                self.shadowed.add(code)

    def scores(self, ordered: list[int]) -> list[float]:
        """Scores of the sorted matches *ordered*, in a flat array indexed by docnum."""
        acc = [0.0] * self.snap.size
        for field, term, weight in self.weights:
            factor = weight * self.snap.idf(field, term)
            for seg in self.snap.segments:
                tl = self.snap.cache.terms(seg, field, term)
                ids, sat, off = tl.ids, tl.sat, seg.offset
                if not ids:
                    continue
                mine = ordered[bisect_left(ordered, off):bisect_left(ordered, off + seg.size)]
                if len(mine) * 8 < len(ids):
                    # Few matches against a long list (a rare phrase, a filter): look each one up.
                    for d in mine:
                        i = bisect_left(ids, d - off)
                        if i < len(ids) and ids[i] == d - off:
                            acc[d] += sat[i] * factor
                elif off == 0:
                    for d, v in zip(ids, sat):
                        acc[d] += v * factor
                else:
                    for d, v in zip(ids, sat):
                        acc[d + off] += v * factor
        for docs, bonus in self.flat:
            for d in docs:
                acc[d] += bonus
        return acc

    def top(self, n: int, sort: str) -> list[tuple[int, float | None]]:
        """The first *n* matches as (docnum, score): by score (ties by docnum) or by code then variant."""
        ordered = sorted(self.matches)
        if sort == "code":
            codes, variants = self.snap.column("code"), self.snap.column("variant")
            best = heapq.nsmallest(n, ordered, key=lambda d: (codes[d].casefold(), codes[d], variants[d]))
            return [(d, None) for d in best]
        acc = self.scores(ordered)
        return [(d, acc[d]) for d in heapq.nlargest(n, ordered, key=acc.__getitem__)]
