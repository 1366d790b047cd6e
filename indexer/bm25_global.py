"""BM25 over shards with the whole corpus's statistics: each shard's bm25s index scores a
passage exactly as a single index of the whole corpus would (global document frequencies,
document count and average length), so the front can merge shards' BM25 candidates by score.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import numpy as np


def bm25_tokens(texts: list[str]):
    """The tokenisation every BM25 index here uses (build.write_build, the shards, the statistics):
    English stopwords, Snowball stems."""
    import bm25s
    import Stemmer

    return bm25s.tokenize(texts, stopwords="en", stemmer=Stemmer.Stemmer("english"), show_progress=False)


TOKEN = re.compile(r"(?u)\b\w\w+\b")  # bm25s.tokenize's default pattern


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN)


def query_tokens(text: str, stemmer) -> list[str]:
    """One query's tokens exactly as `bm25_tokens` makes them, without bm25s.tokenize's per-call
    progress bar and vocabulary, which were a twentieth of a request's Python under load."""
    stop = _stopwords()
    return stemmer.stemWords([w for w in TOKEN.findall(text.lower()) if w not in stop])


def empty_bm25():
    """A BM25 index for a shard with no passages (bm25s cannot index nothing): one placeholder
    document, which no passage rowid ever points at."""
    import bm25s

    retriever = bm25s.BM25()
    retriever.index(bm25_tokens(["empty"]), show_progress=False)
    return retriever


def bm25_stats(tokenized) -> tuple[Counter, list[int]]:
    """(document frequency of each token string, length of each document) of one shard."""
    inverse = {i: t for t, i in tokenized.vocab.items()}
    df: Counter = Counter()
    for ids in tokenized.ids:
        df.update(inverse[i] for i in set(ids))
    return df, [len(ids) for ids in tokenized.ids]


def global_bm25(tokenized, df: dict[str, int], n_docs: int, avg_doc_len: float):
    """A bm25s index of one shard's passages whose scores are the single index's: the idf of a
    token from its document frequency over the whole corpus, lengths normalised by the whole
    corpus's average. Saved and loaded as an ordinary bm25s index."""
    import bm25s
    from bm25s import scoring

    class GlobalBM25(bm25s.BM25):
        def build_index_from_ids(self, unique_token_ids, corpus_token_ids, show_progress=True,
                                 leave_progress=False):
            inverse = {i: t for t, i in tokenized.vocab.items()}
            local_df = scoring._calculate_doc_freqs(corpus_token_ids, unique_token_ids, show_progress=False)
            global_df = {i: df.get(inverse[i], 0) for i in local_df}
            idf = scoring._build_idf_array(global_df, n_docs, scoring._select_idf_scorer(self.idf_method),
                                           dtype=self.dtype)
            if self.method in self.methods_requiring_nonoccurrence:
                raise ValueError(f"BM25 method {self.method} is not supported across shards")
            self.nonoccurrence_array = None
            data, rows, cols = scoring._build_scores_and_indices_for_matrix(
                corpus_token_ids=corpus_token_ids, idf_array=idf, avg_doc_len=np.float64(avg_doc_len),
                doc_frequencies=local_df, k1=self.k1, b=self.b, delta=self.delta, show_progress=False,
                dtype=self.dtype, int_dtype=self.int_dtype, method=self.method, nonoccurrence_array=None)
            n = len(corpus_token_ids)
            if self.csc_backend == "scipy":
                import scipy.sparse as sp

                matrix = sp.csc_matrix((data, (rows, cols)), shape=(n, len(unique_token_ids)), dtype=self.dtype)
                data, indices, indptr = matrix.data, matrix.indices, matrix.indptr
            else:
                data, indices, indptr = self._np_csc(data=data, rows=rows, cols=cols,
                                                     shape=(n, len(unique_token_ids)))
                data = data.astype(self.dtype)
            return {"data": data, "indices": indices, "indptr": indptr, "num_docs": n}

    retriever = GlobalBM25()
    retriever.index(tokenized, show_progress=False)
    return retriever
