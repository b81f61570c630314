"""Whether this checkout's extractor gives byte-identical output to another checkout's (e.g. main).

Run: python bench/compare_extract.py OTHER/src [PATH ...]

Runs ``schoolkg extract`` (JSON Lines and ``--text``) and the dev scoring
(``python -m schoolkg.extract.scoring tests/fixtures/reports/dev``) once with this checkout's ``src``
and once with ``OTHER/src`` on PYTHONPATH, and compares the outputs byte by byte. Default paths:
the dev fixtures (tests/fixtures/reports/dev) and the seed documents (/work/shared/seeds, if there);
add e.g. a ``schoolkg synth --reports`` corpus. Exit status 1 when any output differs.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests/fixtures/reports/dev"
SEEDS = Path("/work/shared/seeds")


def _run(src: Path, args: list[str]) -> bytes:
    env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run([sys.executable, *args], env=env, capture_output=True, check=True, cwd=ROOT)
    return out.stdout


def outputs(src: Path, paths: list[Path]) -> dict[str, bytes]:
    """What each compared command prints with ``src`` imported."""
    got: dict[str, bytes] = {}
    for p in paths:
        got[f"extract {p}"] = _run(src, ["-m", "schoolkg", "extract", str(p)])
        got[f"extract --text {p}"] = _run(src, ["-m", "schoolkg", "extract", "--text", str(p)])
    got["scoring dev"] = _run(src, ["-m", "schoolkg.extract.scoring", str(DEV)])
    return got


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python bench/compare_extract.py OTHER/src [PATH ...]", file=sys.stderr)
        return 2
    other = Path(argv[0]).resolve()
    paths = [Path(a).resolve() for a in argv[1:]] or [DEV, *([SEEDS] if SEEDS.is_dir() else [])]
    new, old = outputs(ROOT / "src", paths), outputs(other, paths)
    differ = 0
    for name, data in new.items():
        same = data == old[name]
        differ += not same
        digest, lines = hashlib.sha256(data).hexdigest()[:12], data.count(b"\n")
        print(f"{'same' if same else 'DIFFERENT'}  {name}  ({lines} lines, sha256 {digest})")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
