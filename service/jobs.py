"""Index rebuilds as background jobs: POST /admin/rebuild answers 202 at once, the build runs
in its own process, the service reloads when it succeeds.

Why a process: a build embeds hundreds of passages and writes FAISS, BM25 and SQLite files;
in the service's process that work would hold the interpreter lock and the model, and search
latency would follow. `python -m indexer build` runs niced, with one model thread, so the
searches the service is answering meanwhile keep the CPU they need. One job at a time: a
second request while one runs gets 409 with the running job's id (the build's own lock
would refuse it anyway, later and less clearly).
"""
from __future__ import annotations

import asyncio
import itertools
import json
import logging
import os
import sys
import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from pathlib import Path

from starlette.concurrency import run_in_threadpool

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[1]
KEEP_JOBS = 20
BUILD_NICE = 10


class JobConflict(Exception):
    def __init__(self, running: "Job"):
        super().__init__(f"a rebuild is already running: job {running.id}")
        self.running = running


@dataclass
class Job:
    id: str
    state: str = "queued"  # queued, running, succeeded, failed
    created_at: float = field(default_factory=time.time)
    started_at: float | None = None
    finished_at: float | None = None
    progress: str = "waiting to start"
    log_tail: deque = field(default_factory=lambda: deque(maxlen=20))
    summary: list[str] = field(default_factory=list)
    reload: dict | None = None
    error: str | None = None
    exit_code: int | None = None

    def public(self) -> dict:
        end = self.finished_at or time.time()
        return {"id": self.id, "state": self.state, "progress": self.progress,
                "created_at": _iso(self.created_at), "started_at": _iso(self.started_at),
                "finished_at": _iso(self.finished_at),
                "elapsed_s": round(end - self.started_at, 2) if self.started_at else 0.0,
                "summary": self.summary, "reload": self.reload, "error": self.error, "exit_code": self.exit_code,
                "log": list(self.log_tail)}


def _iso(t: float | None) -> str | None:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t)) if t else None


def build_env(settings) -> dict:
    """The service's settings as PRECEDENT_* variables, so the build sees what the service sees
    (tests and embedders pass a Settings object, not the environment)."""
    env = dict(os.environ)
    for name, value in settings.model_dump().items():
        key = f"PRECEDENT_{name.upper()}"
        if value is None:
            env.pop(key, None)
        elif isinstance(value, Path):  # relative to the service's folder, as the service reads them
            env[key] = os.path.abspath(os.path.expanduser(value))
        elif isinstance(value, (dict, list, tuple)):
            env[key] = json.dumps(value, default=str)
        else:
            env[key] = str(value)
    env.update(PRECEDENT_MODEL_THREADS="1", HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false",
               OMP_NUM_THREADS="1", PYTHONUNBUFFERED="1",
               PYTHONPATH=os.pathsep.join([str(ROOT)] + [p for p in [os.environ.get("PYTHONPATH")] if p]))
    return env


class RebuildJobs:
    """Starts `python -m indexer build` jobs one at a time and remembers the latest few."""

    def __init__(self, settings, reload):
        self.settings, self.reload = settings, reload
        self.jobs: OrderedDict[str, Job] = OrderedDict()
        self.running: Job | None = None
        self._process: asyncio.subprocess.Process | None = None
        self._task: asyncio.Task | None = None
        self._ids = itertools.count(1)

    def start(self) -> Job:
        """A new job, already under way; raises JobConflict while another one runs."""
        if self.running is not None:
            raise JobConflict(self.running)
        job = Job(id=f"rebuild-{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{next(self._ids)}")
        self.jobs[job.id] = job
        while len(self.jobs) > KEEP_JOBS:
            self.jobs.popitem(last=False)
        self.running = job
        self._task = asyncio.get_running_loop().create_task(self._run(job), name=job.id)
        return job

    def get(self, job_id: str) -> Job | None:
        return self.jobs.get(job_id)

    async def _run(self, job: Job) -> None:
        try:
            job.state, job.started_at, job.progress = "running", time.time(), "starting the build process"
            self._process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "indexer", "build", env=build_env(self.settings),
                stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
            try:  # lower priority than the searches it runs beside (preexec_fn is unsafe with threads)
                os.setpriority(os.PRIO_PROCESS, self._process.pid, BUILD_NICE)
            except OSError:
                pass
            lines = []
            async for raw in self._process.stdout:
                line = raw.decode("utf-8", "replace").rstrip()
                if line:
                    lines.append(line)
                    job.log_tail.append(line)
                    job.progress = line[:300]
            job.exit_code = await self._process.wait()
            if job.exit_code != 0:
                job.state, job.error = "failed", (lines[-1] if lines else f"the build exited with {job.exit_code}")
                return
            job.summary = [x for x in lines if x.startswith(("Index built", "  "))]
            job.progress = "reloading the new build"
            job.reload = await run_in_threadpool(self.reload)
            job.state, job.progress = "succeeded", "done"
        except asyncio.CancelledError:
            job.state, job.error = "failed", "the service stopped during the build"
            raise
        except Exception as exc:  # noqa: BLE001 - a failed reload or spawn is the job's outcome, not a crash
            log.exception("rebuild job %s failed", job.id)
            job.state, job.error = "failed", f"{type(exc).__name__}: {exc}"
        finally:
            job.finished_at = time.time()
            self.running = None
            self._process = None
            log.info("rebuild job %s %s", job.id, job.state)

    async def stop(self) -> None:
        """Shutdown: end a running build (its partial folder is never served) and wait for it."""
        if self._process is not None and self._process.returncode is None:
            self._process.terminate()
        if self._task is not None:
            try:
                await asyncio.wait_for(asyncio.shield(self._task), 15)
            except (asyncio.TimeoutError, asyncio.CancelledError, Exception):  # noqa: BLE001
                if self._process is not None and self._process.returncode is None:
                    self._process.kill()
                self._task.cancel()
