"""Overload and rebuilds, over real HTTP against the real app and model.

What a user relies on: past capacity every request gets an answer, 200 or 503 with
Retry-After, never a timeout or a reset; a request past its deadline gets 503; if the
batcher's task dies, the requests it held get 503 and the next ones are served; a rebuild
answers 202 at once, a second one 409 with the running job's id, and the new build is served
when the job succeeds. No timing is asserted.
"""
from __future__ import annotations

import re
import threading

import httpx

from eval.loadgen import run_load

from conftest import LiveServer, wait_for

ADMIN = {"X-Admin-Token": "test-token"}
QUERIES = [{"q": q, "k": 5} for q in ("cannabis seizures at the port", "money laundering investigations",
                                       "victims of human trafficking", "darknet drug markets",
                                       "alternatives to imprisonment for drug users")]


def restarts(client: httpx.Client) -> float:
    m = re.search(r"^precedent_batcher_restarts_total (\S+)", client.get("/metrics").text, re.M)
    return float(m.group(1)) if m else 0.0


def test_past_capacity_every_request_gets_200_or_503_with_retry_after(settings, engine):
    with LiveServer(settings.model_copy(update={"queue_max": 4})) as server, \
            httpx.Client(base_url=server.url, timeout=30) as client:
        box: dict = {}
        loader = threading.Thread(target=lambda: box.update(result=run_load(
            server.url, QUERIES, concurrency=48, duration=4, time_cap=4, timeout=30, client="raw")))
        loader.start()
        refused = wait_for(lambda: (r := client.get("/search", params={"q": "cannabis"})).status_code == 503 and r,
                           "a request refused while 48 clients keep the queue full", seconds=60)
        loader.join(timeout=60)
        result = box["result"]
        assert result.exceptions == {}, result.exceptions  # no timeout, no reset
        assert set(result.statuses) == {"200", "503"}, result.statuses
        assert refused.headers["retry-after"].isdigit() and "capacity" in refused.json()["detail"]
        assert client.get("/search", params={"q": "cannabis"}).status_code == 200  # and serves again after


def test_a_request_past_its_deadline_gets_503(settings, engine):
    with LiveServer(settings.model_copy(update={"request_deadline_s": 0.0005})) as server, \
            httpx.Client(base_url=server.url, timeout=30) as client:
        r = client.get("/search", params={"q": "money laundering investigations"})
        assert r.status_code == 503, r.text
        assert "not answered within" in r.json()["detail"] and r.headers["retry-after"].isdigit()


def test_when_the_batcher_dies_its_requests_get_503_and_it_restarts(settings, engine):
    with LiveServer(settings) as server, httpx.Client(base_url=server.url, timeout=30) as client:
        batcher, runtime = server.app.state.batcher, server.app.state.runtime
        assert client.get("/search", params={"q": "cannabis"}).status_code == 200
        live_engine = runtime.engine()
        encode, gate = live_engine.encode_batch, threading.Event()

        def held_encode(requests):  # the model call waits, so the batcher holds these requests
            gate.wait(30)
            return encode(requests)

        live_engine.encode_batch = held_encode
        answers: list[int] = []
        senders = [threading.Thread(target=lambda q=q: answers.append(
            httpx.get(f"{server.url}/search", params=q, timeout=30).status_code)) for q in QUERIES[:3]]
        try:
            for t in senders:
                t.start()
            wait_for(lambda: batcher.held, "the batcher to hold a batch")
            batcher.task.get_loop().call_soon_threadsafe(batcher.task.cancel)  # the task dies mid-batch
            wait_for(lambda: len(answers) >= 1, "an answer to the held requests")
        finally:
            gate.set()
            live_engine.encode_batch = encode
            for t in senders:
                t.join(timeout=30)
        assert answers and answers[0] == 503 and set(answers) <= {200, 503}, answers
        assert restarts(client) == 1
        assert client.get("/search", params={"q": "cannabis"}).status_code == 200  # the new task serves


def test_rebuild_answers_202_then_409_while_running_and_the_new_build_is_served(live_workspace_server):
    server, ws = live_workspace_server, live_workspace_server.workspace
    (ws.corpus / "netherlands-note.txt").write_text(
        "# Netherlands — coastguard note\n\nThe Dutch coastguard intercepted a submarine carrying cocaine near "
        "Zeeland.\n", encoding="utf-8")
    with httpx.Client(base_url=server.url, timeout=30) as client:
        before = client.get("/health").json()["build_id"]
        r = client.post("/admin/rebuild", headers=ADMIN)
        assert r.status_code == 202, r.text
        job = r.json()
        assert job["state"] in ("queued", "running") and r.headers["location"] == job["url"]
        second = client.post("/admin/rebuild", headers=ADMIN)
        assert second.status_code == 409 and second.json()["job"]["id"] == job["id"], second.text
        assert client.get("/search", params={"q": "cannabis"}).status_code == 200  # served meanwhile
        done = wait_for(lambda: (j := client.get(job["url"], headers=ADMIN).json())["state"]
                        in ("succeeded", "failed") and j, "the rebuild job")
        assert done["state"] == "succeeded", done
        assert done["reload"]["reloaded"] is True and done["summary"][0].startswith("Index built")
        assert client.get("/health").json()["build_id"] != before
        top = client.get("/search", params={"q": "Dutch coastguard submarine cocaine Zeeland", "k": 1}).json()
        assert "submarine carrying cocaine" in top["results"][0]["text"]
        assert client.get("/admin/jobs/no-such-job", headers=ADMIN).status_code == 404
        assert client.get(job["url"]).status_code == 401  # job details are admin-only too


def send_as_one_batch(server, sent: list[tuple[str, str]]) -> tuple[dict[int, httpx.Response], list[int]]:
    """Send each (path, query) of `sent` while the model is held, so that the first is encoded
    alone and all the others queue behind it and share the next model call. Returns the
    responses by position and the size of each model call."""
    batcher, live_engine = server.app.state.batcher, server.app.state.runtime.engine()
    encode, gate, sizes = live_engine.encode_batch, threading.Event(), []

    def gated_encode(requests):
        gate.wait(30)
        sizes.append(len(requests))
        return encode(requests)

    live_engine.encode_batch = gated_encode
    answers: dict[int, httpx.Response] = {}
    senders = [threading.Thread(target=lambda i=i, path=path, q=q: answers.update(
        {i: httpx.get(f"{server.url}{path}", params={"q": q, "k": 3}, timeout=60)})) for i, (path, q) in
        enumerate(sent)]
    try:
        senders[0].start()
        wait_for(lambda: batcher.held, "the first request to be held")
        for t in senders[1:]:
            t.start()
        wait_for(lambda: batcher.queue.qsize() == len(sent) - 1, "the others to queue behind it")
    finally:
        gate.set()
        for t in senders:
            t.join(timeout=60)
        live_engine.encode_batch = encode
    return answers, sizes


def test_searches_and_questions_share_a_model_call_and_each_gets_its_own_answer(settings, engine):
    """/search and /ask queued together are encoded in one batch; each response is the one asked for."""
    with LiveServer(settings) as server:
        sent = [("/search", "cannabis seizures at the port"), ("/ask", "which countries grant FIU access to police?"),
                ("/search", "victims of human trafficking"), ("/ask", "what did Belgium report on darknet markets?")]
        answers, sizes = send_as_one_batch(server, sent)
        assert sizes[:2] == [1, 3]  # the three queued ones, a search and two questions, in one model call
        for i, (path, q) in enumerate(sent):
            r = answers[i]
            assert r.status_code == 200, r.text
            assert r.json()["query"] == q
            assert ("answer" in r.json()) == (path == "/ask") and r.json()["results"]


def test_a_request_that_fails_in_a_batch_fails_alone(settings, engine):
    """Three searches encoded in one model call, one of which the engine refuses while building
    its results (in a cluster: complete=true while a shard is down): that one gets its own
    error, the other two their answers."""
    from service.engine import Conflict

    with LiveServer(settings) as server:
        live_engine = server.app.state.runtime.engine()
        build = live_engine.build_response

        def build_or_refuse(index, request, *args):
            if request.q == "refused here":
                raise Conflict("this request cannot be answered now")
            return build(index, request, *args)

        live_engine.build_response = build_or_refuse
        sent = [("/search", q) for q in ("cannabis seizures at the port", "victims of human trafficking",
                                         "refused here", "money laundering investigations")]
        try:
            answers, sizes = send_as_one_batch(server, sent)
        finally:
            live_engine.build_response = build
        assert sizes[:2] == [1, 3]  # the refused one shared its model call with two others
        assert answers[2].status_code == 409 and "cannot be answered" in answers[2].json()["detail"]
        for i in (0, 1, 3):
            assert answers[i].status_code == 200 and answers[i].json()["query"] == sent[i][1], answers[i].text


def test_a_request_its_index_no_longer_admits_fails_alone_in_its_model_call(settings, engine):
    """A reload between a request's validation and its batch's encoding can leave it naming a
    document the served index no longer has: the engine refuses it while parsing, in the model
    call it shares with two others. That one gets its 400, the other two their answers."""
    from service.engine import QueryError

    with LiveServer(settings) as server:
        live_engine = server.app.state.runtime.engine()
        parse = live_engine.parse

        def parse_or_refuse(request, index=None):
            if request.q == "gone since validated":
                raise QueryError("unknown document 'removed-by-a-reload'")
            return parse(request, index)

        live_engine.parse = parse_or_refuse
        sent = [("/search", "cannabis seizures at the port"), ("/ask", "victims of human trafficking"),
                ("/search", "gone since validated"), ("/ask", "which countries grant FIU access to police?")]
        try:
            answers, sizes = send_as_one_batch(server, sent)
        finally:
            live_engine.parse = parse
        assert sizes[:2] == [1, 3]
        assert answers[2].status_code == 400 and "unknown document" in answers[2].json()["detail"], answers[2].text
        for i in (0, 1, 3):
            assert answers[i].status_code == 200 and answers[i].json()["query"] == sent[i][1], answers[i].text
