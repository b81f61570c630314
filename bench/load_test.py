"""Bounded load test of the SPARQL endpoint: loopback only, stops by itself.

Starts ``schoolkg serve`` on a free 127.0.0.1 port over a store (default graphs/store), runs
N concurrent clients (default 50) that each loop over the query catalogue (GET
/queries/{name}?format=json) for a fixed time (default 60 s), then stops the server and reports
throughput, p50/p99 latency and errors. Exits 1 if any request failed.

Run: python bench/load_test.py [--store graphs/store] [--clients 50] [--seconds 60] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _client(base: str, names: list[str], stop_at: float, lat: list[float], errors: list[str], i: int) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        k = i
        while time.monotonic() < stop_at:
            name = names[k % len(names)]
            k += 1
            t0 = time.perf_counter()
            try:
                resp = await client.get(f"/queries/{name}", params={"format": "json"})
                if resp.status_code != 200:
                    errors.append(f"{name}: HTTP {resp.status_code} {resp.text.strip()[:120]}")
                    continue
            except httpx.HTTPError as err:
                errors.append(f"{name}: {err!r}")
                continue
            lat.append(time.perf_counter() - t0)


async def _run(base: str, clients: int, seconds: float) -> tuple[list[float], list[str], float, list[str]]:
    async with httpx.AsyncClient(base_url=base, timeout=30) as c:
        names = [q["name"] for q in (await c.get("/queries")).json()]
    lat: list[float] = []
    errors: list[str] = []
    t0 = time.monotonic()
    await asyncio.gather(*(_client(base, names, t0 + seconds, lat, errors, i) for i in range(clients)))
    return lat, errors, time.monotonic() - t0, names


def main() -> int:
    """Run the load test; return the exit status."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", default="graphs/store")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=30.0)
    args = ap.parse_args()
    port = _free_port()
    exe = Path(sys.executable).parent / "schoolkg"
    cmd = [str(exe), "serve", "--store", args.store, "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["--workers", str(args.workers), "--timeout", str(args.timeout)]
    cmd += ["--per-client", str(args.workers)]  # every simulated client shares 127.0.0.1: let them use all workers
    server = subprocess.Popen(cmd, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/queries", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                print("error: the server did not start", file=sys.stderr)
                return 1
            time.sleep(0.2)
        lat, errors, wall, names = asyncio.run(_run(base, args.clients, args.seconds))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    lat.sort()
    ok = len(lat)
    p50 = statistics.median(lat) * 1000 if lat else float("nan")
    p99 = lat[min(ok - 1, int(0.99 * ok))] * 1000 if lat else float("nan")
    print(
        f"{args.clients} clients x {wall:.0f} s, {len(names)} catalogue queries, {args.workers} query workers: "
        f"{ok} ok, {len(errors)} errors, {ok / wall:.1f} req/s, p50 {p50:.0f} ms, p99 {p99:.0f} ms"
    )
    for e in errors[:10]:
        print(f"  {e}", file=sys.stderr)
    return 1 if errors or not ok else 0


if __name__ == "__main__":
    sys.exit(main())
