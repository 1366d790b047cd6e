"""Every setting, declared once: name, default and help. Read from PRECEDENT_* variables.

The README's settings table is generated from this class (`python -m service settings`)
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
    passage_tokens: int = Field(200, description="Token budget (cl100k_base) when grouping paragraphs into passages.")
    embed_batch_size: int = Field(32, description="Passages per model call when building the index.")
    exact_index_max: int = Field(50_000, description="Up to this many vectors FAISS searches exactly; above it, HNSW.")
    fusion: Literal["rrf", "wsum"] = Field("wsum", description="How hybrid search fuses dense and BM25 rankings.")
    rrf_k: int = Field(60, description="Rank constant of reciprocal-rank fusion.")
    dense_weight: float = Field(0.5, description="Weight of the dense score in weighted-sum fusion.")
    candidates: int = Field(100, description="Candidates each retriever contributes before fusion.")
    query_bf16: bool = Field(True, description="Encode queries in bfloat16 (about twice as fast on CPUs that support it; "
                             "vectors within cosine 0.9999 of fp32); the index is always fp32.")
    model_threads: int = Field(0, description="Threads the embedding model uses; 0 means one per core.")
    max_query_chars: int = Field(2000, description="Longest query accepted, in characters.")
    batch_max_size: int = Field(64, description="Most queries encoded together by the service's batcher.")
    batch_wait_ms: float = Field(0.0, description="Extra wait (ms) for more queries before encoding; 0 takes what is queued.")
    host: str = Field("127.0.0.1", description="Address the service listens on.")
    port: int = Field(8000, description="Port the service listens on.")
    admin_token: str | None = Field(None, description="Token for /admin routes (reload, rebuild); unset turns them off.")
    log_level: str = Field("INFO", description="Logging level.")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
