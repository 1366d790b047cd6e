"""What a build must embed, and what it reuses from the served build.

A document whose content key is unchanged keeps its passage and sentence vectors; only the
rest is sent to the model. One plan serves both builds: one machine embeds the plan's texts
itself (indexer/build.py), a cluster spreads them over its nodes (indexer/cluster_build.py),
and both put the vectors back the same way.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from indexer.models import Document, Passage


def contextual_text(document: Document, passage: Passage) -> str:
    """What is embedded and indexed for BM25: where the passage stands, then what it says. An
    entry of a reference list is about the work it names, not the document citing it: without
    the citing document's title, "[3] … European Drug Report 2019" no longer matches every
    question on the paper's topic ("online drug trafficking") by the paper's title alone."""
    where = " › ".join(passage.heading)
    if passage.type == "bibliography":  # whose list it is, by country and kind: "Belgium position paper"
        whose = " ".join(p for p in (document.country or "", document.kind.replace("-", " ")) if p)
        return ". ".join(p for p in (whose, where, passage.text) if p)
    parts = [document.title, document.country or "", where, passage.text]
    return ". ".join(p for p in parts if p)


@dataclass
class EmbeddingPlan:
    passages: Sequence[Passage]
    sentence_rows: list[list]  # sentence_rows_of(passages): [passage index, start, end, …, vector]
    passage_todo: list[int]  # indices into passages
    sentence_todo: list[int]  # indices into sentence_rows
    passage_texts: list[str]  # what the model reads, in the order of passage_todo
    sentence_texts: list[str]  # in the order of sentence_todo
    old_passages: dict
    old_sentences: dict
    old_tokens: dict

    def vectors(self, encoded: np.ndarray | None, dimension: int) -> np.ndarray:
        """Every passage's vector: the newly encoded ones (in passage_todo order), the rest reused."""
        vectors = np.zeros((len(self.passages), dimension), dtype=np.float32)
        for i, p in enumerate(self.passages):
            if p.id in self.old_passages:
                vectors[i] = self.old_passages[p.id]
        if self.passage_todo:
            vectors[self.passage_todo] = encoded
        return vectors

    def tokens(self, encoded: Sequence[np.ndarray]) -> list[np.ndarray]:
        """Every passage's token vectors: newly encoded (in passage_todo order) or reused."""
        new = dict(zip(self.passage_todo, encoded))
        return [new[i] if i in new else self.old_tokens[p.id] for i, p in enumerate(self.passages)]

    def fill_sentences(self, encoded: Sequence[np.ndarray]) -> None:
        """Each sentence row's vector, as float32 bytes: newly encoded (in sentence_todo order) or reused."""
        new = dict(zip(self.sentence_todo, encoded))
        for j, row in enumerate(self.sentence_rows):
            vector = new[j] if j in new else self.old_sentences[(self.passages[row[0]].id, row[1], row[2])]
            row[6] = np.asarray(vector, dtype=np.float32).tobytes()


def plan_embedding(passages: Sequence[Passage], sentence_rows: list[list], docs: dict[str, Document],
                   old_passages: dict, old_sentences: dict, old_tokens: dict) -> EmbeddingPlan:
    """A passage is embedded again unless both its vector and its token vectors can be reused."""
    passage_todo = [i for i, p in enumerate(passages) if p.id not in old_passages or p.id not in old_tokens]
    sentence_todo = [j for j, r in enumerate(sentence_rows) if (passages[r[0]].id, r[1], r[2]) not in old_sentences]
    return EmbeddingPlan(
        passages, sentence_rows, passage_todo, sentence_todo,
        [contextual_text(docs[passages[i].document_id], passages[i]) for i in passage_todo],
        [passages[sentence_rows[j][0]].text[sentence_rows[j][1]:sentence_rows[j][2]] for j in sentence_todo],
        old_passages, old_sentences, old_tokens)
