"""The build cache: each source's sorted N-Quads part, keyed by what it was made from.

A part is ``parts/KK/KEY.nq`` (sorted, de-duplicated N-Quads of the source's graph) with
``KEY.json`` beside it (what the build needs without reading the part: the document id, its
warnings, the facts derivation indexes, counts). ``KEY`` is the SHA-256 of the source's bytes,
its path in the corpus and the version of the code and ontology that map it, so an unchanged
source is never read again and any change of code or input makes a new part. Both files are
written to a temporary name and renamed, a part before its metadata: an entry whose
metadata exists is complete. The cache lives beside the store (``.schoolkg-cache/``).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["CACHE_DIR", "PartCache", "file_sha256", "tree_digest"]

CACHE_DIR = ".schoolkg-cache"
"""The cache folder's name, beside the store link."""


class PartCache:
    """The parts under ``root``; ``hashes.json`` remembers file digests by (size, mtime)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        (self.root / "parts").mkdir(parents=True, exist_ok=True)
        self._hashes_path = self.root / "hashes.json"
        try:
            self._hashes: dict[str, list[Any]] = json.loads(self._hashes_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self._hashes = {}
        self._seen: dict[str, list[Any]] = {}

    def part(self, key: str) -> Path:
        """Where the N-Quads part of ``key`` is (or goes)."""
        return self.root / "parts" / key[:2] / f"{key}.nq"

    def meta(self, key: str) -> dict[str, Any] | None:
        """The metadata of a complete entry, or None."""
        try:
            data: dict[str, Any] = json.loads(self.part(key).with_suffix(".json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if self.part(key).is_file() else None

    def put_meta(self, key: str, meta: dict[str, Any]) -> None:
        """Complete the entry of ``key`` (its part written first) with ``meta``."""
        write_atomic(self.part(key).with_suffix(".json"), json.dumps(meta, sort_keys=True).encode())

    def sha256(self, path: Path) -> str:
        """SHA-256 of ``path``'s bytes, remembered by size and modification time across builds."""
        st = path.stat()
        name = str(path.resolve())
        known = self._hashes.get(name)
        if known and known[0] == st.st_size and known[1] == st.st_mtime_ns:
            self._seen[name] = known
            return str(known[2])
        sha = file_sha256(path)
        self._seen[name] = [st.st_size, st.st_mtime_ns, sha]
        return sha

    def prune(self, keep: set[str]) -> int:
        """Delete parts not in ``keep`` and leftovers of killed builds; save the digests seen.

        Returns the number of entries deleted.
        """
        removed = 0
        for folder in (self.root / "parts").iterdir():
            if not folder.is_dir():
                continue
            for p in folder.iterdir():
                key = p.name.split(".", 1)[0]
                if key not in keep or p.name.startswith("."):
                    removed += p.suffix == ".json"
                    p.unlink(missing_ok=True)
            if not any(folder.iterdir()):
                shutil.rmtree(folder, ignore_errors=True)
        write_atomic(self._hashes_path, json.dumps(self._seen, sort_keys=True).encode())
        return removed


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def tree_digest(folders: list[Path], files: list[Path] | tuple[Path, ...] = ()) -> str:
    """SHA-256 over the names and bytes of every file under ``folders`` and of ``files``.

    Caches and bytecode (``__pycache__``, ``*.pyc``) are left out.
    """
    digest = hashlib.sha256()
    paths = [p for f in folders for p in sorted(f.rglob("*")) if p.is_file()] + list(files)
    for p in paths:
        if "__pycache__" in p.parts or p.suffix == ".pyc":
            continue
        digest.update(p.name.encode() + b"\0" + file_sha256(p).encode())
    return digest.hexdigest()
