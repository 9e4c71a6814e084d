#!/usr/bin/env python3
"""Throughput of the local cloud over HTTP: TASKS demo.sleep tasks of 0 s, created by THREADS
clients for OWNERS owners (the per-owner limit is 100 active tasks), then polled until every one
is terminal. Prints tasks per second from the first create to the last task seen succeeded, and
where the time goes (create latency, queue wait, run time, from the tasks' own timestamps).

Usage (the local cloud running, from the repository root):
  python3 infra/local/throughput.py [--base http://127.0.0.1:3000] [--tasks 2000] [--owners 50] [--threads 8]
Tokens are minted with the local cloud's development secret (LONGHAUL_JWT_SECRET or its default).
"""
import argparse, base64, concurrent.futures as futures, hashlib, hmac, json, os, re, statistics, time
from datetime import datetime, timezone
import requests

def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

def token(subject, secret):
    now = int(time.time())
    header = b64(json.dumps({"typ": "JWT", "alg": "HS256"}).encode())
    claims = b64(json.dumps({"sub": subject, "iss": "https://longhaul.local/", "aud": "longhaul-local",
                             "iat": now, "exp": now + 3600}).encode())
    signature = hmac.new(secret.encode(), f"{header}.{claims}".encode(), hashlib.sha256).digest()
    return f"{header}.{claims}.{b64(signature)}"

def instant(text):
    """Epoch seconds of an RFC 3339 UTC timestamp with up to nanosecond digits."""
    match = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z$", text)
    whole = datetime.strptime(match.group(1), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc).timestamp()
    return whole + (float("0." + match.group(2)) if match.group(2) else 0.0)

def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:3000")
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--owners", type=int, default=50)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--limit-seconds", type=int, default=600)
    args = parser.parse_args()
    secret = os.environ.get("LONGHAUL_JWT_SECRET", "longhaul-local-dev-secret")
    run = f"tp{int(time.time())}"
    tokens = [token(f"{run}-{i}", secret) for i in range(args.owners)]
    session = requests.Session()
    session.mount("http://", requests.adapters.HTTPAdapter(pool_connections=args.threads, pool_maxsize=args.threads))
    body = json.dumps({"type": "demo.sleep", "parameters": {"seconds": 0, "steps": 1}})

    def create(i):
        started = time.perf_counter()
        response = session.post(args.base + "/v1/tasks", data=body, timeout=30,
                                headers={"Authorization": "Bearer " + tokens[i % args.owners],
                                         "Content-Type": "application/json"})
        return i, response.status_code, response.headers.get("Location"), time.perf_counter() - started

    begin = time.time()
    with futures.ThreadPoolExecutor(args.threads) as pool:
        created = list(pool.map(create, range(args.tasks)))
    created_done = time.time()
    accepted = [(i, location) for i, status, location, _ in created if status == 202]
    latencies = [latency for _, status, _, latency in created if status == 202]
    statuses = {}
    for _, status, _, _ in created:
        statuses[status] = statuses.get(status, 0) + 1

    pending = dict(accepted)
    finished = {}
    deadline = begin + args.limit_seconds

    def poll(item):
        i, location = item
        response = session.get(args.base + location, timeout=30, allow_redirects=False,
                               headers={"Authorization": "Bearer " + tokens[i % args.owners]})
        return i, response.json()

    while pending and time.time() < deadline:
        with futures.ThreadPoolExecutor(args.threads) as pool:
            for i, task in pool.map(poll, list(pending.items())):
                if task.get("status") in ("succeeded", "failed", "cancelled"):
                    finished[i] = task
                    del pending[i]
        if pending:
            time.sleep(0.5)
    last_finish = max((instant(t["finishedAt"]) for t in finished.values()), default=begin)
    succeeded = sum(1 for t in finished.values() if t["status"] == "succeeded")
    waits = [instant(t["startedAt"]) - instant(t["createdAt"]) for t in finished.values() if t.get("startedAt")]
    runs = [instant(t["finishedAt"]) - instant(t["startedAt"]) for t in finished.values() if t.get("startedAt")]
    elapsed = last_finish - begin
    print(f"throughput: tasks={args.tasks} accepted={len(accepted)} statuses={statuses} succeeded={succeeded} "
          f"unfinished={len(pending)} owners={args.owners} threads={args.threads}")
    print(f"first create -> last finishedAt: {elapsed:.1f} s = {succeeded / elapsed:.1f} tasks/s "
          f"(creates took {created_done - begin:.1f} s = {len(accepted) / (created_done - begin):.1f} creates/s)")
    print(f"create latency ms: p50 {1000 * statistics.median(latencies):.0f}, p95 {1000 * pct(latencies, 95):.0f}, "
          f"p99 {1000 * pct(latencies, 99):.0f}")
    if waits:
        print(f"queue wait (createdAt -> startedAt) s: p50 {statistics.median(waits):.2f}, p95 {pct(waits, 95):.2f}; "
              f"run (startedAt -> finishedAt) ms: p50 {1000 * statistics.median(runs):.0f}, p95 {1000 * pct(runs, 95):.0f}")
    raise SystemExit(0 if succeeded == args.tasks else 1)

if __name__ == "__main__":
    main()
