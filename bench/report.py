"""Turn the harness's raw figures into the Markdown section of docs/benchmarks.md and a scaling plot."""

from __future__ import annotations

import re
import statistics
from pathlib import Path

__all__ = ["START", "END", "fmt_ms", "percentile", "render", "scaling_plot", "write_section"]

START, END = "<!-- bench:start -->", "<!-- bench:end -->"
GOAL_P50_MS, GOAL_RATIO, GOAL_RATE = 50.0, 20.0, 200_000


def percentile(times: list[float], q: float) -> float | None:
    """The ``q`` quantile (0-1) of ``times`` by linear interpolation; None for no times.

    >>> percentile([1.0, 2.0, 3.0, 4.0], 0.5)
    2.5
    >>> percentile([1.0, 2.0, 3.0, 4.0, 5.0], 0.95)
    4.8
    """
    if not times:
        return None
    s = sorted(times)
    pos = q * (len(s) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def fmt_ms(seconds: float | None) -> str:
    """Milliseconds with sensible precision.

    >>> fmt_ms(0.00123), fmt_ms(0.0456), fmt_ms(2.5)
    ('1.2', '46', '2,500')
    """
    if seconds is None:
        return "-"
    ms = seconds * 1000
    return f"{ms:.1f}" if ms < 10 else f"{ms:,.0f}"


def _rate(quads: int, times: list[float]) -> str:
    return f"{quads / statistics.median(times):,.0f}" if times else "-"


def _mib(kb: float | None) -> str:
    return "-" if kb is None else f"{kb / 1024:,.0f} MiB"


def _ratio(a: float | None, b: float | None, lower_bound: bool = False) -> str:
    if a is None or b is None or a <= 0:
        return "-"
    if lower_bound and b < a:
        return "?"
    return (
        f"{'> ' if lower_bound else ''}{b / a:,.0f}x" if b / a >= 10 else f"{'> ' if lower_bound else ''}{b / a:.1f}x"
    )


def _rdflib_query(entry: dict | None) -> tuple[float | None, bool]:
    """(seconds, is_lower_bound) of an rdflib query: the median, or the time limit if it overran."""
    if entry is None:
        return None, False
    if entry["times"]:
        return statistics.median(entry["times"]), False
    return entry["limit"], True


def render(res: dict, command: str, plot: str | None = None, notes: str = "") -> str:
    """The Markdown section: machine, build, queries per dataset, scaling (``plot``: image path), analysis."""
    m = res["machine"]
    libs = ", ".join(f"{k} {v}" for k, v in m["libs"].items() if v)
    lines = [
        START,
        "## Store, queries and scale (issue 9)",
        "",
        f"Produced by `{command}` ({_duration(res)}). Machine: {m['cpu']}, {m['cores']} cores, "
        f"{m['ram_gib']:.0f} GiB RAM, {m['os']}, Python {m['python']}; {libs}. Load average "
        f"{m['load_start']:.2f} at the start{_load_end(m)} (shared machine; the load when each "
        "graph was measured is in the build table).",
        "",
        "Same data, same run: **schoolkg** is the embedded pyoxigraph store (`install_store`: bulk load and atomic "
        "swap; queries through `EmbeddedStore`, union default graph), **rdflib** is `rdflib.Dataset(default_union="
        "True)` in memory, **server** is the `oxigraph` server (PyPI package `oxigraph`, installed by the harness) "
        "bulk-loaded with `oxigraph load` and queried over HTTP on loopback through schoolkg's `RemoteStore` "
        "(`--store http://127.0.0.1:PORT/query`). Builds and rdflib run in child processes; peak RSS is the "
        "child's `ru_maxrss` (the server's is its `VmHWM`). Times are medians; a query time covers running it "
        "and reading every row. rdflib queries run up to 3 times under a per-query time limit; `> T` means "
        "the first run did not finish in T seconds (reported as a lower bound, ratios too; `?` when that bound "
        "is below schoolkg's own time).",
        "",
        "Run it: `python -m bench --scale small|medium|national [--remote oxigraph|none] [--out docs/benchmarks.md]` "
        "(or `schoolkg bench ...` from the checkout; `--json FILE` keeps the raw figures, `--render FILE` rewrites "
        "this section from them). `small` is the 300k graph, `medium` adds 3M, `national` adds the England-sized "
        "graph (22,000 schools, 20 years); `tests/test_bench_smoke.py` runs `--scale tiny`.",
        "",
    ]
    lines += _build_table(res)
    for d in res["datasets"]:
        lines += _query_table(d)
    lines += _summary(res)
    if plot:
        lines += [f"![How build time, peak RSS and catalogue latency grow with the graph]({plot})", ""]
    if res.get("analysis"):
        a = res["analysis"]
        lines += [
            "### Analysis and extraction",
            "",
            f"- Analysis (`analyse_matrix`, set up as `bench/bench_analysis.py`): {a['schools']:,} schools x "
            f"{a['practices']} practices, median **{statistics.median(a['times']):.1f} s** over {len(a['times'])} "
            f"runs (goal < 10 s).",
        ]
    if res.get("extraction"):
        e = res["extraction"]
        rate = e["documents"] / statistics.median(e["times"])
        lines += [
            f"- Extraction (`extract_document` on `bench/bench_extract.py`'s generated texts, {e['kb']:.1f} kB "
            f"each, already read): {e['documents']} documents, median **{rate:.0f} documents/s** over "
            f"{len(e['times'])} runs.",
        ]
    if notes.strip():
        lines += ["", "### Notes", "", notes.strip()]
    lines += ["", END]
    return "\n".join(lines) + "\n"


def _duration(res: dict) -> str:
    if res.get("merged"):
        return f"{res.get('command', '').count('` then `') + 1} runs merged with `--render`; see the notes"
    if "seconds" in res:
        return f"{res['seconds'] / 60:.0f} min"
    return "cut short after the last graph below; rendered from its checkpoint with `--render`"


def _load_end(m: dict) -> str:
    return f" and {m['load_end']:.2f} at the end" if "load_end" in m else ""


def _build_table(res: dict) -> list[str]:
    out = [
        "### Build",
        "",
        "The synthetic rows time only a **bulk load** of ready-made N-Quads into a new store"
        " (`install_store`): no extraction, mapping, derivation or validation, so not `schoolkg build`"
        " (that is timed in the section `schoolkg build` (issue 18) below). The default-corpus row is a"
        " full build.",
        "",
        "| graph | quads | N-Quads | load avg | schoolkg s | schoolkg triples/s | schoolkg RSS | store on disk "
        "| rdflib s | rdflib triples/s | rdflib RSS | speed-up | server load s | server triples/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    c = res.get("corpus")
    if c:
        r = c["rdflib"]
        out.append(
            f"| default corpus build (extraction, tables, SHACL, install; {len(c['times'])} runs) | {c['quads']:,} "
            f"| - | - | {statistics.median(c['times']):.1f} | {_rate(c['quads'], c['times'])} | {_mib(c['rss_kb'])} "
            f"| - | {statistics.median(r['times']):.1f} (load of its N-Quads only) | {_rate(r['quads'], r['times'])} "
            f"| {_mib(r['rss_kb'])} | - | - | - |"
        )
    for d in res["datasets"]:
        e, r, s = d["embedded"], d.get("rdflib"), d.get("remote")
        em = statistics.median(e["times"])
        cells = [
            f"synthetic {d['label']}: {d['schools']:,} schools{', 20 years of history' if d['history'] else ''} "
            f"({len(e['times'])} run{'s' if len(e['times']) > 1 else ''})",
            f"{d['quads']:,}",
            f"{d['nq_bytes'] / 2**20:,.0f} MiB",
            f"{d['load_avg']:.2f}",
            f"{em:.1f}",
            f"**{_rate(d['quads'], e['times'])}**",
            _mib(e["rss_kb"]),
            f"{e['disk_bytes'] / 2**20:,.0f} MiB",
        ]
        if r:
            rm = statistics.median(r["times"])
            cells += [f"{rm:.1f} ({len(r['times'])} run{'s' if len(r['times']) > 1 else ''})",
                      _rate(d["quads"], r["times"]), _mib(r["rss_kb"]), f"**{_ratio(em, rm)}**"]  # fmt: skip
        else:
            cells += ["not run (see below)", "-", "-", "-"]
        if s:
            cells += [f"{statistics.median(s['times']):.1f}", _rate(d["quads"], s["times"])]
        else:
            cells += ["-", "-"]
        out.append("| " + " | ".join(cells) + " |")
    return [*out, ""]


def _query_table(d: dict) -> list[str]:
    if "queries" not in d["embedded"]:
        return [f"Catalogue queries on the {d['label']} graph: not measured (the run stopped after its build).", ""]
    e, r, s = d["embedded"]["queries"], (d.get("rdflib") or {}).get("queries"), (d.get("remote") or {}).get("queries")
    n = max((len(v["times"]) for v in e.values()), default=0)
    out = [
        f"### Catalogue queries, synthetic {d['label']} ({d['quads']:,} quads)",
        "",
        f"Default parameters; schoolkg and server: up to {n} timed runs after a warm-up (3 if the warm-up took "
        "over 2 s; the warm-up alone if it took over 20 s).",
        "",
        "| query | rows | schoolkg p50 ms | schoolkg p95 ms | rdflib ms | speed-up | server p50 ms | server p95 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, q in e.items():
        if q.get("skipped"):
            out.append(f"| `{name}` | no result ({q['skipped']}) | - | - | - | - | - | - |")
            continue
        p50 = percentile(q["times"], 0.5)
        rq, bound = _rdflib_query(r.get(name) if r else None)
        rdf = "-" if rq is None else (f"> {rq * 1000:,.0f}" if bound else fmt_ms(rq))
        mismatch = r and r.get(name) and r[name]["rows"] is not None and r[name]["rows"] != q["rows"]
        rows = f"{q['rows']:,}" + (f" (rdflib {r[name]['rows']:,})" if mismatch else "")
        sv = s.get(name) if s else None
        out.append(
            f"| `{name}` | {rows} | {fmt_ms(p50)} | {fmt_ms(percentile(q['times'], 0.95))} | {rdf} "
            f"| {_ratio(p50, rq, bound)} | {fmt_ms(percentile(sv['times'], 0.5)) if sv else '-'} "
            f"| {fmt_ms(percentile(sv['times'], 0.95)) if sv else '-'} |"
        )
    return [*out, ""]


def _summary(res: dict) -> list[str]:
    out = ["### Summary against the goals", ""]
    for d in res["datasets"]:
        e = d["embedded"].get("queries", {})
        p50 = {k: percentile(v["times"], 0.5) for k, v in e.items() if v["times"]}
        if not p50:
            p50 = {"(none measured)": None}
        worst = max(p50, key=lambda k: p50[k] or 0)
        under = sum(1 for v in p50.values() if v is not None and v < GOAL_P50_MS / 1000)
        rate = d["quads"] / statistics.median(d["embedded"]["times"])
        line = (
            f"- **{d['label']}** ({d['quads']:,} quads): bulk load {rate:,.0f} triples/s (goal {GOAL_RATE:,}), "
            "peak RSS "
            f"{_mib(d['embedded']['rss_kb'])}, store {d['embedded']['disk_bytes'] / 2**20:,.0f} MiB; catalogue p50 "
            f"median {fmt_ms(_med(p50.values()))} ms, {under}/{len(e)} queries under "
            f"{GOAL_P50_MS:.0f} ms, slowest measured `{worst}` {fmt_ms(p50[worst])} ms"
            + (f" ({len(e) - len(p50)} stopped unfinished, not in the median)." if len(e) > len(p50) else ".")
        )
        r = d.get("rdflib")
        if r:
            build_ratio = statistics.median(r["times"]) / statistics.median(d["embedded"]["times"])
            ratios = {}
            for k, v in r["queries"].items():
                rq, bound = _rdflib_query(v)
                if rq is not None and p50.get(k) and not (bound and rq < p50[k]):
                    ratios[k] = (rq / p50[k], bound)
            heavy = [k for k in ratios if _heavy(_sparql(k)) and e[k]["rows"]]
            line += f" vs rdflib: build {build_ratio:.0f}x"
            if ratios:
                line += (
                    f"; queries min {min(v[0] for v in ratios.values()):.1f}x, median "
                    f"{statistics.median(v[0] for v in ratios.values()):.0f}x"
                )
            if heavy:
                line += "; grouping/co-occurrence queries: " + ", ".join(
                    f"`{k}` {'> ' if ratios[k][1] else ''}{ratios[k][0]:,.0f}x" for k in heavy
                )
            line += "."
        else:
            per = [x["rdflib"]["rss_kb"] * 1024 / x["quads"] for x in res["datasets"] if x.get("rdflib")]
            need = f"about {max(per) * d['quads'] / 2**30:,.0f} GiB of RAM" if per else "tens of GiB of RAM"
            line += (
                f" rdflib not run at this size: at its measured {max(per, default=0):,.0f} bytes a quad it would need "
            )
            line += f"{need} (the machine has {res['machine']['ram_gib']:.0f} GiB)."
        s = d.get("remote")
        if s:
            sp = {k: percentile(v["times"], 0.5) for k, v in s["queries"].items()}
            line += (
                f" Server: load {d['quads'] / statistics.median(s['times']):,.0f} triples/s, "
                f"peak load RSS {_mib(s['rss_kb'])}, server RSS {_mib(s['server_rss_kb'])}, catalogue p50 median "
                f"{fmt_ms(statistics.median(sp.values()))} ms over HTTP."
            )
        out.append(line)
    return [*out, ""]


def _heavy(sparql: str) -> bool:
    """A grouping or co-occurrence query over findings (the issue's "heavy" ones).

    >>> _heavy("SELECT (COUNT(?f) AS ?n) WHERE { ?f a skg:Finding } GROUP BY ?p"), _heavy("SELECT ?s WHERE {}")
    (True, False)
    """
    body = sparql.upper()
    return "SKG:FINDING" in body and any(f"{agg}(" in body for agg in ("COUNT", "SUM", "AVG", "GROUP_CONCAT"))


def _med(values) -> float | None:
    vals = [v for v in values if v is not None]
    return statistics.median(vals) if vals else None


def _sparql(name: str) -> str:
    from schoolkg.queries.catalogue import get_query

    return get_query(name).sparql


def scaling_plot(res: dict, path: Path) -> Path | None:
    """A small log-log plot of build seconds, peak RSS and median catalogue p50 against quads."""
    ds = res["datasets"]
    if len(ds) < 2:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullFormatter

    x = [d["quads"] for d in ds]
    measured = [{k for k, v in d["embedded"].get("queries", {}).items() if v["times"]} for d in ds]
    common = sorted(set.intersection(*measured))
    fig, axes = plt.subplots(1, 3, figsize=(10, 3), dpi=90)
    series = {
        "build s": (
            lambda d: statistics.median(d["embedded"]["times"]),
            lambda d: statistics.median(d["rdflib"]["times"]),
        ),
        "peak RSS MiB": (lambda d: d["embedded"]["rss_kb"] / 1024, lambda d: d["rdflib"]["rss_kb"] / 1024),
        "p50 ms, median of common queries": (
            lambda d: 1000 * statistics.median(percentile(d["embedded"]["queries"][k]["times"], 0.5) for k in common),
            lambda d: 1000 * statistics.median(_rdflib_query(d["rdflib"]["queries"][k])[0] for k in common),
        ),
    }
    if not common:
        series.pop("p50 ms, median of common queries")
        axes[2].set_visible(False)
    for ax, (title, (ours, theirs)) in zip(axes, series.items(), strict=False):
        ax.loglog(x, [ours(d) for d in ds], "o-", label="schoolkg")
        rx = [d["quads"] for d in ds if d.get("rdflib")]
        if rx:
            ax.loglog(rx, [theirs(d) for d in ds if d.get("rdflib")], "s--", label="rdflib (queries: capped)")
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("quads", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.yaxis.set_minor_formatter(NullFormatter())
    axes[0].legend(fontsize=7)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path


def write_section(doc: Path, section: str) -> None:
    """Put ``section`` (between the bench markers) first in ``doc``, keeping every other section."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n"
    text = re.sub(re.escape(START) + ".*?" + re.escape(END) + "\n*", "", text, flags=re.S)
    head, sep, rest = text.partition("\n")
    if not head.startswith("# "):
        head, rest = "# Benchmarks", text
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(f"{head}\n\n{section}\n{rest.lstrip(chr(10))}".rstrip("\n") + "\n", encoding="utf-8")
