"""Smoke test of the benchmark harness at a tiny scale, so that it cannot rot (no timing assertions)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT))  # bench/ is the checkout's harness, not part of the package

from bench.__main__ import main  # noqa: E402
from bench.report import END, START, write_section  # noqa: E402


def test_harness_tiny_writes_every_table(tmp_path: Path) -> None:
    out = tmp_path / "benchmarks.md"
    out.write_text("# Benchmarks\n\n## Extraction (issue 4)\n\nkept.\n", encoding="utf-8")
    raw = tmp_path / "raw.json"
    argv = ["--scale", "tiny", "--out", str(out), "--remote", "none", "--runs", "1", "--query-runs", "1",
            "--rdflib-limit", "0.5", "--skip", "corpus",
            "--workdir", str(tmp_path / "work"), "--json", str(raw)]  # fmt: skip
    assert main(argv) == 0
    text = out.read_text(encoding="utf-8")
    assert text.index(START) < text.index("## Extraction (issue 4)") and "kept." in text
    assert "python -m bench --scale tiny" in text
    res = json.loads(raw.read_text(encoding="utf-8"))
    (d,) = res["datasets"]
    assert d["quads"] > 5_000 and d["embedded"]["disk_bytes"] > 0
    catalogue = {p.stem for p in (ROOT / "queries").glob("*.rq")}
    assert set(d["embedded"]["queries"]) == catalogue == set(d["rdflib"]["queries"])
    for name in catalogue:
        assert f"`{name}`" in text
        r = d["rdflib"]["queries"][name]
        if r["times"]:  # both engines answered: same number of rows
            assert r["rows"] == d["embedded"]["queries"][name]["rows"], name
    assert d["embedded"]["rss_kb"] > 10_000 and d["rdflib"]["quads"] == d["quads"]
    assert not (tmp_path / "work").exists()


def test_write_section_replaces_itself_and_keeps_others(tmp_path: Path) -> None:
    doc = tmp_path / "b.md"
    doc.write_text("# Benchmarks\n\n<!-- x:start -->\nother\n<!-- x:end -->\n", encoding="utf-8")
    write_section(doc, f"{START}\nfirst\n{END}\n")
    write_section(doc, f"{START}\nsecond\n{END}\n")
    text = doc.read_text(encoding="utf-8")
    assert text.count(START) == 1 and "second" in text and "first" not in text
    assert text.index("second") < text.index("other")


def test_bad_scale_is_refused() -> None:
    with pytest.raises(SystemExit):
        main(["--scale", "galactic"])


def test_render_merges_runs(tmp_path: Path) -> None:
    from bench.__main__ import merge

    a = {"command": "python -m bench --scale medium", "machine": {"load_start": 0.5}, "datasets": [{"label": "3M"}]}
    b = {"command": "python -m bench --only national", "machine": {"load_start": 1, "load_end": 2}, "seconds": 9,
         "datasets": [{"label": "national"}], "analysis": {"times": [1.0]}}  # fmt: skip
    res = merge([a, b])
    assert [d["label"] for d in res["datasets"]] == ["3M", "national"]
    assert res["analysis"] == b["analysis"] and res["machine"]["load_end"] == 2 and "seconds" not in res
    assert "--scale medium` then `python -m bench --only national" in res["command"]


def test_query_cli_reads_a_remote_store(tmp_path: Path) -> None:
    """`schoolkg query NAME --store http://...` through RemoteStore, against the oxigraph server the bench uses."""
    import shutil
    import socket
    import subprocess
    import time

    from typer.testing import CliRunner

    from schoolkg.cli import app

    exe = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(exe).exists():
        pytest.skip("the oxigraph server CLI is not installed (python -m bench --remote oxigraph installs it)")
    nq = tmp_path / "g.nq"
    nq.write_text(
        "<https://w3id.org/schoolkg/programme/eic> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<https://w3id.org/schoolkg/ontology#Programme> <https://w3id.org/schoolkg/graph/x> .\n"
        '<https://w3id.org/schoolkg/programme/eic> <http://www.w3.org/2004/02/skos/core#prefLabel> "EiC" '
        "<https://w3id.org/schoolkg/graph/x> .\n",
        encoding="utf-8",
    )
    subprocess.run([exe, "load", "--location", str(tmp_path / "db"), "--file", str(nq)], check=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    argv = [exe, "serve-read-only", "--location", str(tmp_path / "db"), "--bind", f"127.0.0.1:{port}"]
    server = subprocess.Popen([*argv, "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/query"
        sparql = "SELECT ?l WHERE { ?p a <https://w3id.org/schoolkg/ontology#Programme> ; ?x ?l FILTER(isLiteral(?l)) }"
        for _ in range(100):
            result = CliRunner().invoke(app, ["query", sparql, "--store", url, "--format", "csv"])
            if result.exit_code == 0:
                break
            time.sleep(0.1)
        assert result.exit_code == 0, result.output
        assert result.output.splitlines() == ["l", "EiC"]
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's own, from inside rdflib
def test_rdflib_overruns_are_reported_never_raised(tmp_path: Path) -> None:
    """A query cut off by the time limit is recorded as an overrun; an alarm never escapes the harness."""
    from bench.child import rdflib_job

    nq = tmp_path / "g.nq"
    nq.write_text("".join(f"<http://x/s{i}> <http://x/p> <http://x/o{i % 7}> <http://x/g> .\n" for i in range(300)))
    queries = {"all": "SELECT * WHERE { ?s ?p ?o }", "join": "SELECT * WHERE { ?a ?p ?o . ?b ?p ?o }"}
    for limit in (1e-6, 1e-4, 1e-3, 60.0):
        out = rdflib_job(str(nq), queries, limit=limit, runs=3)
        for r in out["queries"].values():
            assert r["times"] == [] or (r["rows"] is not None and all(t >= 0 for t in r["times"]))
    assert out["queries"]["all"]["rows"] == 300  # with time to spare, every query answers
