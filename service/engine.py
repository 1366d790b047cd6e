"""The one core object: open an index, search it, answer from it.

The API, the command line, the web page and the evaluation all call these methods.
Single calls wrap the batch ones, so concurrent queries share one model call.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from indexer import store
from indexer.embed import Embedder, shared_embedder
from indexer.models import DOCUMENT_KINDS
from indexer.settings import Settings
from service import kinds, late, present, retrieval
from service.coverage import coverage
from service.loaded import LoadedIndex, PassageRow
from service.query import ParsedQuery, corrected, parse_query
from service.schemas import (
    CoverageGrid,
    DocumentFull,
    DocumentOut,
    Interpretation,
    PassageOut,
    SearchRequest,
    SearchResponse,
)

log = logging.getLogger(__name__)


class RequestError(ValueError):
    """A request the client can fix; the API answers it with `status` and the message."""

    status = 400


class QueryError(RequestError):
    """A query, filter or format the client can correct (400)."""


class NotFound(RequestError):
    """A document, page, passage or job that does not exist (404)."""

    status = 404


class Conflict(RequestError):
    """A request at odds with the current state: a changed original, a running job (409)."""

    status = 409


class Unauthorized(RequestError):
    """A missing or wrong admin token (401)."""

    status = 401


def _or_error(function, *args):
    """function(*args), or the exception it raised: one request's failure, kept in its place."""
    try:
        return function(*args)
    except Exception as exc:  # noqa: BLE001 - handed to that request alone
        return exc


def raise_failures(results: list) -> list:
    """The results of a batch, for callers that want the first failure raised (the CLI, the evaluation)."""
    for result in results:
        if isinstance(result, Exception):
            raise result
    return results


@dataclass
class EncodedBatch:
    index: LoadedIndex
    requests: list[SearchRequest]
    parsed: list[ParsedQuery | Exception]  # a request its index refuses keeps its error here
    vectors: np.ndarray


class Engine:
    def __init__(self, settings: Settings, index: LoadedIndex, embedder: Embedder):
        self.settings = settings
        self.index = index
        self.embedder = embedder
        self._reload_lock = threading.Lock()
        self._coverage: tuple[LoadedIndex, CoverageGrid] | None = None  # the grid of the index it was made from
        import Stemmer

        self._stemmer = Stemmer.Stemmer("english")

    @classmethod
    def open(cls, settings: Settings, embedder: Embedder | None = None) -> "Engine":
        build = store.resolve_build(Path(settings.index_dir))
        engine = cls(settings, LoadedIndex(build), embedder or shared_embedder())
        engine.prepare(engine.index)
        return engine

    def prepare(self, index: LoadedIndex) -> None:
        """Work an index needs once, done before it serves, not by its first query: the reduced
        token vectors late interaction reads, the map of heading labels."""
        if self.settings.late_weight:
            late.table_for(index, self.settings.late_dims)
        index.labelled  # noqa: B018 - the map of heading labels citations are found in

    # ---- index lifecycle -------------------------------------------------------------
    def reload(self) -> dict:
        """Swap in the build `current` points at, if it changed; a bad build is refused whole."""
        with self._reload_lock:
            build = store.resolve_build(Path(self.settings.index_dir))
            if build == self.index.build_dir:
                return {"reloaded": False, "build_id": self.index.manifest["build_id"]}
            fresh = LoadedIndex(build)  # raises on a damaged or mismatched build: the old one keeps serving
            self.prepare(fresh)
            self.index = fresh
            log.info("reloaded index %s", fresh.manifest["build_id"])
            return {"reloaded": True, "build_id": fresh.manifest["build_id"]}

    # ---- validation --------------------------------------------------------------------
    def validate(self, request: SearchRequest, index: LoadedIndex) -> str:
        q = request.q.strip()
        if not any(ch.isalnum() for ch in q):  # nothing but spaces, quotes, "*", NUL, zero-width or control characters
            raise QueryError("the query `q` is empty; type some words to search for")
        bad = next((ch for ch in q if 0xD800 <= ord(ch) <= 0xDFFF), None)
        if bad is not None:  # a lone surrogate: JSON's "\ud800", or bytes of another encoding on the command line
            raise QueryError(f"the query `q` holds U+{ord(bad):04X}, which is no character (a lone surrogate: "
                             "text not in UTF-8?); send the query as UTF-8 text")
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
        text = self.validate(request, index)
        parsed = parse_query(text, index.countries, index.glossary, self._stemmer.stemWord)
        if not request.country:  # "what did Belguim report": Belgium's; "belgium and luxemburg": both
            right = corrected(text, index.countries, lambda word: bool(index.phrase_rowids(word)), index.writes)
            if right != text:
                parsed = parse_query(right, index.countries, index.glossary, self._stemmer.stemWord)
        # decided here against the whole index, not per shard: a shard without that year's report still filters
        parsed.carried_years = [y for y in parsed.years if y in index.years]
        parsed.other_editions = index.other_editions(parsed.carried_years)
        parsed.cited = retrieval.cited(index, request, parsed)  # what ranking, results and answer put first
        return parsed

    def search_batch(self, requests: list[SearchRequest], fusion: str | None = None) -> list[SearchResponse]:
        """Many queries, one model call. `fusion` overrides the configured one (the evaluation compares them)."""
        return raise_failures(self.answer_batch(self.encode_batch(requests), fusion))

    def encode_batch(self, requests: list[SearchRequest]) -> EncodedBatch:
        """The model stage: parse and embed. The service runs it apart from `answer_batch`, so the
        next batch is encoded while this one's results are built."""
        index = self.index  # one build for the whole batch, even if a reload lands meanwhile
        # the app validated each request against the index it saw; a reload may since have removed
        # the document or country one names: that request fails alone, not the model call it shares
        parsed = [_or_error(self.parse, r, index) for r in requests]
        return EncodedBatch(index, requests, parsed, self.embed(requests, parsed))

    def embed(self, requests: list[SearchRequest], parsed: list) -> np.ndarray:
        """The queries' vectors from one model call, which also gives (for late interaction) each
        parsed query its token vectors."""
        # a request that failed to parse is embedded as nothing: its text may be what failed (a lone surrogate)
        texts = ["" if isinstance(p, Exception) else p.expanded for p in parsed]
        if not any(r.mode != "lexical" for r in requests):
            return np.zeros((len(requests), 1), dtype=np.float32)
        if not self.settings.late_weight:
            return self.embed_queries(texts)
        vectors, tokens = self.embedder.encode(texts, bf16=self.settings.query_bf16, tokens=True)
        for p, t in zip(parsed, tokens):
            if not isinstance(p, Exception):
                p.token_vectors = t
        return vectors

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self.embedder.encode(texts, bf16=self.settings.query_bf16)

    def answer_batch(self, batch: EncodedBatch, fusion: str | None = None,
                     ranked: list | None = None) -> list[SearchResponse | Exception]:
        """The response to each request of an encoded batch, or that request's own error in its
        place: a request that fails fails alone (the service's batcher hands each its own).
        `ranked`: the batch's `respond_batch`, when the caller has it already."""
        ranked = self.respond_batch(batch, fusion) if ranked is None else ranked
        return [x if isinstance(x, Exception) else x[1] for x in ranked]

    def respond_batch(self, batch: EncodedBatch, fusion: str | None = None
                      ) -> list[tuple[retrieval.Ranking, SearchResponse] | Exception]:
        """(ranking, response) for each request of the batch, or its own error in its place."""
        out: list = []
        for request, parsed, vector, ranking in zip(batch.requests, batch.parsed, batch.vectors,
                                                    self.rank_batch(batch, fusion)):
            out.append(ranking if isinstance(ranking, Exception) else
                       _or_error(self.build_response, batch.index, request, parsed, vector, ranking))
        return out

    def rank_batch(self, batch: EncodedBatch, fusion: str | None = None) -> list[retrieval.Ranking | Exception]:
        """Each request's ranking, or its own error. One index ranks them one by one; a cluster
        (service/cluster/front.py) sends the whole batch to every shard at once."""
        return [p if isinstance(p, Exception) else _or_error(self.rank, batch.index, r, p, v, fusion)
                for r, p, v in zip(batch.requests, batch.parsed, batch.vectors)]

    def rank(self, index: LoadedIndex, request: SearchRequest, parsed: ParsedQuery, vector: np.ndarray,
             fusion: str | None = None) -> retrieval.Ranking:
        """Candidates the query admits, by the request's mode (hybrid: dense and BM25 fused)."""
        mask = retrieval.admitted(index, request, parsed)
        n = self.depth(request)
        dense = retrieval.dense(index, vector, mask, n) if request.mode != "lexical" else retrieval.Ranking.empty()
        lexical = (retrieval.lexical(index, parsed.text, mask, n, self._stemmer, parsed.expansions) if request.mode != "dense"
                   else retrieval.Ranking.empty())
        return self.combine(index, request, parsed, dense, lexical, fusion)

    def combine(self, index: LoadedIndex, request: SearchRequest, parsed: ParsedQuery, dense: retrieval.Ranking,
                lexical: retrieval.Ranking, fusion: str | None = None) -> retrieval.Ranking:
        """The request's mode takes one retriever's ranking, or (hybrid) fuses the two and re-ranks
        the top by late interaction."""
        if request.mode == "dense":
            ranking = dense
        elif request.mode == "lexical":
            ranking = lexical
        else:
            s = self.settings
            fused = retrieval.fuse(index.size, dense, lexical, fusion or s.fusion, s.dense_weight, s.rrf_k)
            ranking = late.late_rerank(index, fused, parsed.token_vectors, s.late_weight, s.late_depth, s.late_dims)
        # what the question cites by label comes first, whatever the retrievers scored
        return retrieval.pin(ranking, parsed.cited, self.depth(request))

    def depth(self, request: SearchRequest) -> int:
        """How many candidates each retriever gives for fusion."""
        return max(self.settings.candidates, request.k * 3)

    def respond(self, index: LoadedIndex, request: SearchRequest, parsed: ParsedQuery, vector: np.ndarray,
                fusion: str | None = None) -> tuple[retrieval.Ranking, SearchResponse]:
        return self.build_response(index, request, parsed, vector, self.rank(index, request, parsed, vector, fusion))

    def build_response(self, index: LoadedIndex, request: SearchRequest, parsed: ParsedQuery, vector: np.ndarray,
                       ranking: retrieval.Ranking) -> tuple[retrieval.Ranking, SearchResponse]:
        """The ranking (by score) and the results built from it; asked across countries, each
        country's best passage comes first and the responses to one recommendation stand together."""
        shown = ranking
        if parsed.across and not request.country:
            shown = kinds.group_responses(retrieval.diversify(ranking, index), index)
        return ranking, present.build(index, request, parsed, vector, shown)

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
                          document=present.document_ref(index, row.document_id),
                          citation=present.citation(index, row),
                          fields=row.fields, previous=previous, next=nxt)

    def similar(self, passage_id: str, k: int = 10) -> SearchResponse:
        """Passages elsewhere in the corpus closest in meaning to this one: precedents for a text."""
        index = self.index
        row = self._row(index, passage_id)
        vector = index.vector(row.rowid)
        ranking = self.similar_ranking(index, row, vector, k)
        return SearchResponse(query=f"similar:{passage_id}", mode="dense", interpreted=Interpretation(),
                              results=present.similar_results(index, row, vector, ranking, k))

    def similar_ranking(self, index: LoadedIndex, row: PassageRow, vector: np.ndarray, k: int) -> retrieval.Ranking:
        """The k passages of other documents nearest `vector` (a cluster asks its shards)."""
        mask = index.document_of != row.document_id
        return retrieval.dense(index, vector, mask if not mask.all() else None, k, sentences=False)

    def coverage(self) -> "CoverageGrid":
        """Every questionnaire recommendation against every country (service/coverage.py): it
        depends on the loaded build only, so it is made once per build, not per request."""
        index, made = self.index, self._coverage
        if made is None or made[0] is not index:
            made = self._coverage = (index, coverage(index))
        return made[1]

    def health(self) -> dict:
        m = self.index.manifest
        return {"status": "ok", "build_id": m["build_id"], "built_at": m["built_at"], "model": m["model"],
                "faiss_index": m["faiss_index"], "counts": m["counts"], "documents": m["documents"],
                "libraries": m["libraries"]}


