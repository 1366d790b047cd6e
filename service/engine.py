"""The one core object: open an index, search it, answer from it.

The API, the command line, the web page and the evaluation all call these methods.
Single calls wrap the batch ones, so concurrent queries share one model call.
"""
from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from indexer import store
from indexer.embed import Embedder, shared_embedder
from indexer.models import DOCUMENT_KINDS, Span
from indexer.parsers.questionnaire import COMMENTS_LABEL
from indexer.settings import Settings
from indexer.text import file_to_text, normalize_wording, text_to_file
from service.loaded import LoadedIndex, PassageRow
from service.query import ParsedQuery, parse_query
from service.schemas import (
    AlsoIn,
    AskResponse,
    CitationOut,
    DocumentFull,
    DocumentOut,
    DocumentRef,
    Highlight,
    Interpretation,
    PassageOut,
    Result,
    SearchRequest,
    SearchResponse,
)

log = logging.getLogger(__name__)
WORD = re.compile(r"[A-Za-z0-9]+")


class QueryError(ValueError):
    """A request the client can fix; the API answers it with `status`."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


class NotFound(QueryError):
    def __init__(self, message: str):
        super().__init__(message, 404)


@dataclass
class EncodedBatch:
    index: LoadedIndex
    requests: list[SearchRequest]
    parsed: list[ParsedQuery]
    vectors: np.ndarray


@dataclass
class _Candidate:
    rowid: int
    score: float


class Engine:
    def __init__(self, settings: Settings, index: LoadedIndex, embedder: Embedder):
        self.settings = settings
        self.index = index
        self.embedder = embedder
        self._reload_lock = threading.Lock()
        import Stemmer

        self._stemmer = Stemmer.Stemmer("english")

    @classmethod
    def open(cls, settings: Settings, embedder: Embedder | None = None) -> "Engine":
        build = store.resolve_build(Path(settings.index_dir))
        return cls(settings, LoadedIndex(build), embedder or shared_embedder())

    # ---- index lifecycle -------------------------------------------------------------
    def reload(self) -> dict:
        """Swap in the build `current` points at, if it changed; a bad build is refused whole."""
        with self._reload_lock:
            build = store.resolve_build(Path(self.settings.index_dir))
            if build == self.index.build_dir:
                return {"reloaded": False, "build_id": self.index.manifest["build_id"]}
            fresh = LoadedIndex(build)  # raises on a damaged or mismatched build: the old one keeps serving
            self.index = fresh
            log.info("reloaded index %s", fresh.manifest["build_id"])
            return {"reloaded": True, "build_id": fresh.manifest["build_id"]}

    # ---- validation --------------------------------------------------------------------
    def validate(self, request: SearchRequest, index: LoadedIndex) -> str:
        q = request.q.strip()
        if not q:
            raise QueryError("the query `q` is empty; type some words to search for")
        if len(q) > self.settings.max_query_chars:
            raise QueryError(f"the query is {len(q)} characters long; the limit is {self.settings.max_query_chars}")
        if request.country and request.country not in index.valid_countries:
            raise QueryError(f"unknown country {request.country!r}; valid values: {', '.join(index.valid_countries)}")
        if request.kind and request.kind not in DOCUMENT_KINDS:
            raise QueryError(f"unknown kind {request.kind!r}; valid values: {', '.join(DOCUMENT_KINDS)}")
        if request.document and request.document not in index.documents:
            raise QueryError(f"unknown document {request.document!r}; valid values: {', '.join(sorted(index.documents))}")
        return q

    # ---- search ------------------------------------------------------------------------
    def search(self, request: SearchRequest) -> SearchResponse:
        return self.search_batch([request])[0]

    def parse(self, request: SearchRequest, index: LoadedIndex | None = None) -> ParsedQuery:
        """The engine's reading of a query: phrases, named countries, acronym expansions, intent."""
        index = index or self.index
        return parse_query(self.validate(request, index), index.countries, index.glossary, self._stemmer.stemWord)

    def search_batch(self, requests: list[SearchRequest], fusion: str | None = None) -> list[SearchResponse]:
        """Many queries, one model call. `fusion` overrides the configured one (the evaluation compares them)."""
        return self.answer_batch(self.encode_batch(requests), fusion)

    def encode_batch(self, requests: list[SearchRequest]) -> "EncodedBatch":
        """The model stage: parse and embed. The service runs it apart from `answer_batch`, so the
        next batch is encoded while this one's results are built."""
        index = self.index  # one build for the whole batch, even if a reload lands meanwhile
        parsed = [self.parse(r, index) for r in requests]
        vectors = self.embed_queries([p.expanded for p in parsed]) if any(
            r.mode != "lexical" for r in requests) else np.zeros((len(requests), 1), dtype=np.float32)
        return EncodedBatch(index, requests, parsed, vectors)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self.embedder.encode(texts, bf16=self.settings.query_bf16)

    def answer_batch(self, batch: "EncodedBatch", fusion: str | None = None) -> list[SearchResponse]:
        return [self._search_one(batch.index, r, p, v, fusion)
                for r, p, v in zip(batch.requests, batch.parsed, batch.vectors)]

    def _mask(self, index: LoadedIndex, request: SearchRequest, parsed: ParsedQuery) -> np.ndarray | None:
        mask = np.ones(index.size, dtype=bool)
        countries = [request.country] if request.country else parsed.countries
        if countries:
            mask &= np.isin(index.country_of, countries)
        if request.kind:
            mask &= index.kind_of == request.kind
        if request.document:
            mask &= index.document_of == request.document
        for phrase in parsed.phrases:
            wanted = normalize_wording(phrase)
            hits = [r for r in index.phrase_rowids(phrase) if wanted in normalize_wording(index.passage(r).text)]
            phrase_mask = np.zeros(index.size, dtype=bool)
            phrase_mask[hits] = True
            mask &= phrase_mask
        return None if mask.all() else mask

    def _dense(self, index: LoadedIndex, vector: np.ndarray, mask: np.ndarray | None, n: int,
               sentences: bool = True) -> list[_Candidate]:
        """Passages by max(passage similarity, best sentence similarity).

        A passage is embedded whole, but the model reads only its first 256 wordpieces; its
        sentences, embedded one by one, let the rest of a long passage be found too.
        """
        scores: dict[int, float] = {}
        for rowid, score in self._faiss_search(index.faiss, vector, mask, n):
            scores[rowid] = score
        if sentences and index.sentence_faiss.ntotal:
            sentence_mask = mask[index.passage_of_sentence] if mask is not None else None
            for sentence, score in self._faiss_search(index.sentence_faiss, vector, sentence_mask, 3 * n):
                rowid = int(index.passage_of_sentence[sentence])
                if score > scores.get(rowid, -1.0):
                    scores[rowid] = score
        ranked = sorted(scores.items(), key=lambda x: -x[1])[:n]
        return [_Candidate(r, s) for r, s in ranked]

    @staticmethod
    def _faiss_search(faiss_index, vector: np.ndarray, mask: np.ndarray | None, n: int) -> list[tuple[int, float]]:
        import faiss

        params = None
        if mask is not None:
            ids = np.flatnonzero(mask).astype(np.int64)
            if not len(ids):
                return []
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(ids))
            n = min(n, len(ids))
        n = min(n, faiss_index.ntotal)
        if n <= 0:
            return []
        scores, ids = faiss_index.search(vector.reshape(1, -1).astype(np.float32), n, params=params)
        return [(int(i), float(s)) for s, i in zip(scores[0], ids[0]) if i >= 0]

    def _lexical(self, index: LoadedIndex, text: str, mask: np.ndarray | None, n: int) -> list[_Candidate]:
        import bm25s

        tokens = bm25s.tokenize([text], stopwords="en", stemmer=self._stemmer, return_ids=False,
                                show_progress=False)[0]
        scores = index.bm25.get_scores(tokens) if tokens else np.zeros(index.size)
        if mask is not None:
            scores = np.where(mask, scores, -np.inf)
        top = np.argsort(-scores)[:n]
        return [_Candidate(int(i), float(scores[i])) for i in top if scores[i] > 0]

    def _fuse(self, dense: list[_Candidate], lexical: list[_Candidate], fusion: str) -> list[_Candidate]:
        """Weighted sum of min-max normalised scores by default: on eval/gold it beat reciprocal-rank
        fusion (nDCG@10 0.892 vs 0.874, `python -m eval run`), because it keeps how far apart
        candidates score, which RRF throws away by using ranks only."""
        fused: dict[int, float] = {}
        if fusion == "rrf":
            for ranked in (dense, lexical):
                for rank, c in enumerate(ranked):
                    fused[c.rowid] = fused.get(c.rowid, 0.0) + 1.0 / (self.settings.rrf_k + rank + 1)
        else:
            w = self.settings.dense_weight
            for ranked, weight in ((dense, w), (lexical, 1 - w)):
                if not ranked:
                    continue
                hi, lo = ranked[0].score, ranked[-1].score
                for c in ranked:
                    norm = (c.score - lo) / (hi - lo) if hi > lo else 1.0
                    fused[c.rowid] = fused.get(c.rowid, 0.0) + weight * norm
        return [_Candidate(r, s) for r, s in sorted(fused.items(), key=lambda x: -x[1])]

    def rank(self, index: LoadedIndex, request: SearchRequest, parsed: ParsedQuery, vector: np.ndarray,
             fusion: str | None = None) -> list[_Candidate]:
        mask = self._mask(index, request, parsed)
        n = max(self.settings.candidates, request.k * 3)
        dense = self._dense(index, vector, mask, n) if request.mode != "lexical" else []
        lexical = self._lexical(index, parsed.expanded, mask, n) if request.mode != "dense" else []
        if request.mode == "dense":
            return dense
        if request.mode == "lexical":
            return lexical
        return self._fuse(dense, lexical, fusion or self.settings.fusion)

    def _search_one(self, index: LoadedIndex, request: SearchRequest, parsed: ParsedQuery, vector: np.ndarray,
                    fusion: str | None = None) -> SearchResponse:
        ranked = self.rank(index, request, parsed, vector, fusion)
        if parsed.across and not request.country:
            ranked = group_responses(diversify(ranked, index), index)
        candidates = {c.rowid for c in ranked}
        results: list[Result] = []
        shown: dict[str, Result] = {}  # passage id -> the result that shows it (or its wording)
        seen_wording: dict[str, Result] = {}
        for c in ranked:
            if len(results) >= request.k:
                break
            row = index.passage(c.rowid)
            if row.id in shown:
                continue
            folded = None
            if row.type == "proposal":
                linked = [l for l in row.fields.get("linked", []) if l in index.rowid_of]
                first = next((shown[l] for l in linked if l in shown), None)
                if first:  # the proposal's other copy is already shown
                    first.also_in.append(self._also_in(index, row, []))
                    shown[row.id] = first
                    continue
                section = [l for l in linked if index.rowid_of[l] in candidates]
                if row.fields.get("occurrence") == "summary" and section:
                    # show a proposal where it stands in its section (if that copy passed the query's filters
                    # and quoted wording too); the summary-table copy goes to also_in
                    folded, row = row, index.passage(index.rowid_of[section[0]])
            # asked across countries, a response is read for its comment, which is that country's own
            within = comment_range(row) if parsed.across else None
            highlight, wording = self.highlight(index, row, parsed, vector, within=within)
            if wording and wording in seen_wording:
                first = seen_wording[wording]
                first.also_in.append(self._also_in(index, row, highlight))
                shown[row.id] = first
                continue  # identical wording is shown once, with also_in
            result = self.result(index, row, len(results) + 1, c.score, highlight)
            result.also_in = [self._also_in(index, index.passage(r), highlight_pieces(index.passage(r), fs, fe))
                              for r, fs, fe in (index.same_wording(wording, row.rowid) if wording else [])
                              if index.document_of[r] != row.document_id]
            if folded:
                result.also_in.append(self._also_in(index, folded, []))
                shown[folded.id] = result
            if wording:
                seen_wording[wording] = result
            shown[row.id] = result
            for other in result.also_in:
                shown.setdefault(other.passage_id, result)
            results.append(result)
        return SearchResponse(query=request.q, mode=request.mode, results=results, interpreted=Interpretation(
            countries=parsed.countries, expansions=parsed.expansions, phrases=parsed.phrases,
            across_countries=parsed.across))

    # ---- building results --------------------------------------------------------------
    def highlight(self, index: LoadedIndex, row: PassageRow, parsed: ParsedQuery, vector: np.ndarray,
                  within: tuple[int, int] | None = None) -> tuple[list[Highlight], str | None]:
        """The sentence that best answers the query, as file offsets; or the quoted wording itself."""
        for phrase in parsed.phrases:
            pos = normalize_wording(row.text).find(normalize_wording(phrase))
            if pos >= 0:
                start, end = _locate_normalized(row.text, phrase)
                fs, fe = text_to_file(row.offsets, start, end)
                return highlight_pieces(row, fs, fe), None
        sents = index.sentences(row.rowid)
        if within:
            sents = [s for s in sents if s[0] >= within[0] and s[1] <= within[1]] or sents
        if not sents:
            return [], None
        query_stems = {self._stemmer.stemWord(w.lower()) for w in WORD.findall(parsed.expanded)}
        best, best_score = None, -1e9
        for s in sents:
            stems = {self._stemmer.stemWord(w.lower()) for w in WORD.findall(row.text[s[0]:s[1]])}
            overlap = len(query_stems & stems) / (len(query_stems) or 1)
            score = float(s[5] @ vector) if vector.shape[0] == s[5].shape[0] else 0.0
            score += 0.5 * overlap
            if score > best_score:
                best, best_score = s, score
        return highlight_pieces(row, best[2], best[3]), best[4]

    def citation(self, index: LoadedIndex, row: PassageRow) -> CitationOut:
        doc = index.documents[row.document_id]
        return CitationOut(file=doc["file"], start=row.spans[0].start, end=row.spans[-1].end, label=row.label,
                           spans=row.spans)

    def document_ref(self, index: LoadedIndex, document_id: str) -> DocumentRef:
        d = index.documents[document_id]
        return DocumentRef(id=d["id"], title=d["title"], country=d["country"], kind=d["kind"])

    def result(self, index: LoadedIndex, row: PassageRow, rank: int, score: float,
               highlight: list[Highlight]) -> Result:
        return Result(rank=rank, score=round(score, 6), passage_id=row.id, type=row.type, text=row.text,
                      heading=row.heading, document=self.document_ref(index, row.document_id),
                      citation=self.citation(index, row), highlight=highlight,
                      answered=row.fields.get("answered") if row.type == "recommendation" else None,
                      fields=row.fields)

    def _also_in(self, index: LoadedIndex, row: PassageRow, highlight: list[Highlight]) -> AlsoIn:
        cite = self.citation(index, row)
        if highlight:
            cite = CitationOut(file=cite.file, start=highlight[0].start, end=highlight[-1].end, label=cite.label,
                               spans=[Span(start=h.start, end=h.end) for h in highlight])
        return AlsoIn(passage_id=row.id, document=self.document_ref(index, row.document_id), citation=cite)

    # ---- ask ---------------------------------------------------------------------------
    def ask(self, q: str, k: int = 10) -> AskResponse:
        from service.ask import answer

        return answer(self, q, k)

    # ---- documents and passages --------------------------------------------------------
    def documents(self) -> list[DocumentOut]:
        index = self.index
        counts = {d: int((index.document_of == d).sum()) for d in index.documents}
        return [DocumentOut(**{k: v for k, v in d.items()}, passages=counts[d["id"]]) for d in index.documents.values()]

    def document(self, document_id: str) -> DocumentFull:
        index = self.index
        if document_id not in index.documents:
            raise NotFound(f"no document {document_id!r}; see /documents for the list")
        rows = [index.passage(int(r)) for r in np.flatnonzero(index.document_of == document_id)]
        spans = [{"passage_id": r.id, "type": r.type, "label": r.label, "spans": [s.model_dump() for s in r.spans]}
                 for r in sorted(rows, key=lambda r: r.ordinal)]
        return DocumentFull(**index.documents[document_id], passages=len(rows), text=index.document_text(document_id),
                            passage_spans=spans)

    def _row(self, index: LoadedIndex, passage_id: str) -> PassageRow:
        rowid = index.rowid_of.get(passage_id)
        if rowid is None:
            raise NotFound(f"no passage {passage_id!r}")
        return index.passage(rowid)

    def passage(self, passage_id: str) -> PassageOut:
        index = self.index
        row = self._row(index, passage_id)
        previous, nxt = index.neighbours(row)
        return PassageOut(id=row.id, type=row.type, text=row.text, heading=row.heading,
                          document=self.document_ref(index, row.document_id), citation=self.citation(index, row),
                          fields=row.fields, previous=previous, next=nxt)

    def similar(self, passage_id: str, k: int = 10) -> SearchResponse:
        """Passages elsewhere in the corpus closest in meaning to this one: precedents for a text."""
        index = self.index
        row = self._row(index, passage_id)
        vector = index.vector(row.rowid)
        mask = index.document_of != row.document_id
        ranked = self._dense(index, vector, mask if not mask.all() else None, k, sentences=False)
        parsed = ParsedQuery(text=row.text)
        results = [self.result(index, index.passage(c.rowid), i + 1, c.score,
                               self.highlight(index, index.passage(c.rowid), parsed, vector)[0])
                   for i, c in enumerate(ranked[:k])]
        return SearchResponse(query=f"similar:{passage_id}", mode="dense", interpreted=Interpretation(),
                              results=results)

    def health(self) -> dict:
        m = self.index.manifest
        return {"status": "ok", "build_id": m["build_id"], "built_at": m["built_at"], "model": m["model"],
                "faiss_index": m["faiss_index"], "counts": m["counts"], "documents": m["documents"],
                "libraries": m["libraries"]}


def highlight_pieces(row: PassageRow, start: int, end: int) -> list[Highlight]:
    """A file range as the verbatim pieces the passage is made of: a sentence joined across a
    page break is two pieces, and the footnotes between them are not highlighted."""
    pieces = []
    for span in row.spans:
        lo, hi = max(start, span.start), min(end, span.end)
        if lo < hi:
            a, b = file_to_text(row.offsets, lo, hi)
            pieces.append(Highlight(start=lo, end=hi, text=row.text[a:b]))
    return pieces


def comment_range(row: PassageRow) -> tuple[int, int] | None:
    """Where the country's own comment stands in a recommendation passage's text."""
    if row.type != "recommendation" or not row.fields.get("answered"):
        return None
    return row.text.find(COMMENTS_LABEL, len(row.fields.get("recommendation_text", ""))), len(row.text)


def group_responses(ranked: list[_Candidate], index: LoadedIndex) -> list[_Candidate]:
    """Where one country's response to a recommendation first appears, the other countries'
    responses to it follow, answered ones first: the reader compares them side by side."""
    groups: dict[tuple, list[_Candidate]] = {}
    for c in ranked:
        if index.kind_of[c.rowid] == "questionnaire-response":
            f = index.passage(c.rowid).fields
            groups.setdefault((f.get("issue"), f.get("recommendation")), []).append(c)
    out, placed = [], set()
    for c in ranked:
        if c.rowid in placed:
            continue
        if index.kind_of[c.rowid] != "questionnaire-response":
            out.append(c)
            placed.add(c.rowid)
            continue
        f = index.passage(c.rowid).fields
        group = groups[(f.get("issue"), f.get("recommendation"))]
        group = sorted(group, key=lambda g: not index.passage(g.rowid).fields.get("answered"))  # stable
        out.extend(g for g in group if g.rowid not in placed)
        placed.update(g.rowid for g in group)
    return out


def diversify(ranked: list[_Candidate], index: LoadedIndex, window: int = 50) -> list[_Candidate]:
    """For a question across countries: each country's best passage first, then the rest by score."""
    leaders: dict[str, _Candidate] = {}
    for c in ranked[:window]:
        country = index.country_of[c.rowid]
        if country and country not in leaders:
            leaders[country] = c
    first = sorted(leaders.values(), key=lambda c: -c.score)
    chosen = {c.rowid for c in first}
    return first + [c for c in ranked if c.rowid not in chosen]


def _locate_normalized(text: str, phrase: str) -> tuple[int, int]:
    """Where a phrase stands in text, ignoring case and white space."""
    words = phrase.split()
    pattern = r"\s+".join(re.escape(w) for w in words)
    m = re.search(pattern, text, re.I)
    return (m.start(), m.end()) if m else (0, len(text))
