"""Every setting, declared once: name, default and help. Read from PRECEDENT_* variables.

The README's settings table is generated from this class (`precedent settings`)
and a test checks the two agree.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PRECEDENT_", extra="ignore")

    corpus_dir: Path = Field(Path("corpus"), description="Folder of verbatim corpus files and manifest.toml.")
    index_dir: Path = Field(Path("index"), description="Folder holding index builds; `current` points at the one served.")
    passage_tokens: int = Field(200, ge=16, description="Token budget (cl100k_base) when grouping paragraphs into passages.")
    embed_batch_size: int = Field(32, ge=1, description="Passages per model call when building the index.")
    max_file_mb: float = Field(200, gt=0, allow_inf_nan=False, description="Largest corpus file read, in MB; a larger one is refused.")
    exact_index_max: int = Field(50_000, ge=0, description="Up to this many vectors FAISS searches exactly; above it, HNSW.")
    fusion: Literal["rrf", "wsum"] = Field("wsum", description="How hybrid search fuses dense and BM25 rankings.")
    rrf_k: int = Field(60, ge=1, description="Rank constant of reciprocal-rank fusion.")
    dense_weight: float = Field(0.5, ge=0, le=1, allow_inf_nan=False, description="Weight of the dense score in weighted-sum fusion.")
    candidates: int = Field(100, ge=1, description="Candidates each retriever contributes before fusion.")
    late_weight: float = Field(0.4, ge=0, allow_inf_nan=False, description="Weight of late interaction (MaxSim over the model's token "
                               "vectors) when hybrid search re-ranks its top `late_depth`; 0 turns it off.")
    late_depth: int = Field(30, ge=2, description="How many of hybrid search's fused results late interaction re-ranks.")
    late_dims: int = Field(64, ge=1, le=384, description="Dimensions token vectors are reduced to for late "
                           "interaction (their principal directions in the index).")
    query_bf16: bool = Field(False, description="Encode queries in bfloat16: faster on CPUs with AMX, vectors within "
                             "cosine 0.9999 of fp32, but the top 10 changes order for about 1 query in 9; off by default "
                             "(OpenVINO fp32 is exact and almost as fast); the index is always fp32.")
    model_threads: int = Field(0, ge=0, description="Threads the embedding model uses; 0 means one per core.")
    encoder: Literal["openvino", "torch"] = Field(
        "openvino", description="How the model runs: openvino (the packaged weights converted once and cached; "
        "exactly the same vectors, 1.5-2x faster a query) or torch (sentence-transformers, the reference).")
    model_cache_dir: Path = Field(Path("~/.cache/precedent"), description="Where the model converted for OpenVINO "
                                  "is kept, one folder per model package and OpenVINO version.")
    max_query_chars: int = Field(2000, ge=1, description="Longest query accepted, in characters.")
    batch_max_size: int = Field(64, ge=1, description="Most queries encoded together by the service's batcher.")
    batch_wait_ms: float = Field(0.0, ge=0, allow_inf_nan=False, description="Extra wait (ms) for more queries before encoding; 0 takes what is queued.")
    queue_max: int = Field(64, ge=1, description="Most /search and /ask requests admitted and not yet answered; past it "
                           "the service answers 503 with Retry-After at once.")
    request_deadline_s: float = Field(2.0, gt=0, allow_inf_nan=False, description="A /search or /ask request not answered within this many "
                                      "seconds gets 503 with Retry-After (dropped from its batch if not yet encoded).")
    host: str = Field("127.0.0.1", description="Address the service listens on.")
    port: int = Field(8000, ge=1, le=65535, description="Port the service listens on.")
    admin_token: str | None = Field(None, description="Token for /admin routes (reload, rebuild); unset turns them off.")
    log_level: str = Field("INFO", pattern=r"(?i)^(?:debug|info|warning|error|critical)$", description="Logging level.")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def settings_table() -> str:
    """The settings as a Markdown table: the README carries this output verbatim."""
    lines = ["| variable | default | what it does |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        default = "(unset)" if field.default is None else f"`{field.default}`"
        lines.append(f"| `PRECEDENT_{name.upper()}` | {default} | {field.description} |")
    return "\n".join(lines)


def configure_logging(level: str) -> None:
    """One log format for the CLI, the indexer and the server, at the level set. The handler
    holds the level too: bm25s sets its own logger to DEBUG when imported, and its "Building
    index from IDs objects" had been printed by every build."""
    import logging

    level = level.upper()  # ("warning" as "WARNING": the setting takes either case)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.setLevel(level)
    logging.getLogger("faiss.loader").setLevel(logging.WARNING)  # which CPU build it tried is noise here
