"""The alternative to app/search/ranker.py: Whoosh's own BM25F over the same index, configured as well as we could.

Same index (schema, analyzers, accent-exact ``*_tone`` fields), same parsed query and the same matching rules
as the ranker (every word as typed, words side by side first, then folded, then without unknown words), built
as Whoosh query trees; scoring is Whoosh's BM25F (B=0.75, K1=1.2) with field boosts equal to the ranker's
weights. Used by search_quality.py (--engine whoosh) and search_compare.py; not by the application.
"""

from __future__ import annotations

from whoosh import query as Q
from whoosh import scoring

from app.search import SearchIndex
from app.search.query import MIN_PREFIX, Clause, parse_query
from app.search.ranker import (
    W_ADJACENT, W_CODE, W_CODE_TEXT, W_CONTENT, W_EXACT, W_FOLDED_SHARE, W_PAIR, W_REF, W_TITLE, W_TITLE_EXACT,
)


def _scored(clause: Clause) -> list[Q.Query]:
    """The clause's terms as optional, boosted scoring terms."""
    out: list[Q.Query] = []
    if clause.kind == "ref":
        return [Q.Term("refs", clause.text, boost=W_REF)]
    if len(clause.folded) > 1:
        out += [Q.Term("pairs", p, boost=W_PAIR) for p in clause.pairs]
    for f, e, accented in zip(clause.folded, clause.exact, clause.accented):
        share = W_FOLDED_SHARE if accented else 1.0
        out += [Q.Term("content_folded", f, boost=W_CONTENT * share), Q.Term("title_folded", f, boost=W_TITLE * share),
                Q.Term("code_text", f, boost=W_CODE_TEXT)]  # Whoosh scores only what matched; keep both
        if accented:
            out += [Q.Term("content_tone", e, boost=W_EXACT), Q.Term("title_tone", e, boost=W_TITLE_EXACT)]
    if clause.code:
        out.append(Q.Term("code_key", clause.code, boost=W_CODE))
    return out


def _required(clause: Clause, strict: bool) -> Q.Query:
    """What a document must hold to match the clause."""
    folded = clause.folded
    if clause.kind == "ref":
        return Q.Term("refs", clause.text)
    if clause.kind == "prefix" and len(folded[-1]) >= MIN_PREFIX:
        parts = [Q.Prefix("content_folded", folded[-1])] + [Q.Term("content_folded", t) for t in folded[:-1]]
        req: Q.Query = Q.And(parts) if len(parts) > 1 else parts[0]
    elif len(folded) == 1:
        req = Q.Term("content_folded", folded[0])
    else:
        req = Q.Phrase("content_folded", list(folded))
    if strict:
        exact = [Q.Term("content_tone", e) for e, a in zip(clause.exact, clause.accented) if a]
        if exact:
            req = Q.And([req] + exact)
    if clause.code:
        req = Q.Or([req, Q.Term("code_key", clause.code)])
    return req


def _anchor(groups, i) -> Q.Query | None:
    texts = [g[0] if len(g) == 1 and g[0].kind == "text" else None for g in groups]
    clause = texts[i]
    if len(groups) < 2 or clause is None or len(clause.folded) > 1:
        return None
    pairs = []
    for j in (i - 1, i + 1):
        if 0 <= j < len(groups) and texts[j] is not None:
            pair = (texts[j].folded[-1], clause.folded[0]) if j < i else (clause.folded[0], texts[j].folded[0])
            pairs.append(Q.Term("pairs", " ".join(pair)))
    return Q.Or(pairs) if pairs else None


class WhooshEngine:
    name = "Whoosh BM25F"

    def __init__(self, path, docs=None, b: float = 0.75):
        self.ix_wrapper = SearchIndex(path)
        if docs is not None:
            self.ix_wrapper.rebuild(iter(docs))
        self.ix = self.ix_wrapper.dir.open_generation(self.ix_wrapper.dir.current())
        self.weighting = scoring.BM25F(B=b, K1=1.2)
        self.name = f"Whoosh BM25F (B={b})"
        self.searcher = self.ix.searcher(weighting=self.weighting)

    def _run(self, required: list[Q.Query], scoring_terms: list[Q.Query], limit: int):
        must = Q.And(required) if len(required) > 1 else required[0]
        q = Q.AndMaybe(must, Q.Or(scoring_terms)) if scoring_terms else must
        return self.searcher.search(q, limit=limit)

    def search(self, text: str, limit: int = 20) -> tuple[list[str], tuple[str, ...]]:
        parsed = parse_query(text)
        if parsed.is_empty:
            return [], parsed.notices
        groups = parsed.groups
        scoring_terms = [t for g in groups for c in g for t in _scored(c)]
        scoring_terms += [Q.Term("pairs", p, boost=W_ADJACENT) for p in parsed.adjacent_pairs]
        negatives = [_required(c, strict=False) for c in parsed.negatives]

        def group_q(g, strict):
            qs = [_required(c, strict) for c in g]
            return qs[0] if len(qs) == 1 else Q.Or(qs)

        def finish(reqs):
            if negatives:
                reqs = reqs + [Q.Not(Q.Or(negatives))]
            return self._run(reqs, scoring_terms, limit)

        strict = [group_q(g, True) for g in groups]
        anchors = [a for i in range(len(groups)) if (a := _anchor(groups, i)) is not None]
        notices: tuple[str, ...] = parsed.notices
        results = finish(strict + anchors) if anchors else None
        if not results:
            results = finish(strict)
        if not results:
            folded = []
            for i, g in enumerate(groups):
                anchor = _anchor(groups, i)
                req = group_q(g, False)
                if anchor is not None and g[0].accented[0]:
                    req = Q.And([req, Q.Or([anchor, _required(g[0], True)])])
                folded.append(req)
            results = finish(folded)
            if results:
                notices += ("folded_match",)
        if not results and len(groups) > 2:
            known = self._known(groups, group_q)
            if known and 3 * len(known) >= 2 * len(groups):
                results = finish([group_q(g, True) for g in known]) or finish([group_q(g, False) for g in known])
                if results:
                    notices += ("partial_match",)
        codes = [hit["code"] for hit in results] if results else []
        return codes, notices

    def _known(self, groups, group_q) -> list:
        """As Evaluation._known_groups: words in no procedure, and a syllable stuck to one, left out."""
        known = [bool(self.searcher.search(group_q(g, False), limit=1)) for g in groups]
        keep = list(known)
        folded = [g[0].folded if len(g) == 1 and g[0].kind == "text" else None for g in groups]
        for i, ok in enumerate(known):
            if ok:
                continue
            for j, other in ((i - 1, i - 2), (i + 1, i + 2)):
                if not (0 <= j < len(groups) and keep[j] and folded[j]):
                    continue
                pair = None
                if 0 <= other < len(groups) and folded[other]:
                    a, b = (folded[other], folded[j]) if other < j else (folded[j], folded[other])
                    pair = f"{a[-1]} {b[0]}"
                if not pair or not self.searcher.doc_frequency("pairs", pair):
                    keep[j] = False
        return [g for g, k in zip(groups, keep) if k] if not all(known) else []

    def close(self):
        self.searcher.close()
        self.ix_wrapper.close()
