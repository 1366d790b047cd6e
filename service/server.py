"""Running the app under uvicorn: what `precedent serve` does, and nothing else (the app is `service.app`)."""
from __future__ import annotations

import os

from indexer.settings import Settings, configure_logging


def serve(settings: Settings) -> None:
    # Busy-waiting OpenMP threads steal the other core from the HTTP layer; single queries gain
    # nothing from a second FAISS thread (eval bench: 100k exact search, 1 thread 9 ms, 2 threads 15 ms).
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import faiss
    import uvicorn

    from service.app import create_app

    faiss.omp_set_num_threads(1)
    configure_logging(settings.log_level)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level=settings.log_level.lower(),
                access_log=False)  # /metrics counts every request
