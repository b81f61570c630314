"""What the benchmark ran on: CPU, cores, RAM, Python and library versions, load average."""

from __future__ import annotations

import os
import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

__all__ = ["describe_machine", "load_average"]


def load_average() -> float:
    """The one-minute load average."""
    return os.getloadavg()[0]


def describe_machine() -> dict[str, object]:
    """CPU model, cores, RAM in GiB, OS, Python and the versions of the measured libraries."""
    cpu = platform.processor() or "unknown CPU"
    ram = None
    try:
        cpu = next(
            (
                ln.split(":", 1)[1].strip()
                for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if "model name" in ln
            ),
            cpu,
        )
        mem = next(ln for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal:"))
        ram = int(mem.split()[1]) / 2**20
    except (OSError, StopIteration):
        pass
    libs = {}
    for name in ("schoolkg", "pyoxigraph", "rdflib", "oxigraph", "numpy"):
        try:
            libs[name] = version(name)
        except PackageNotFoundError:
            libs[name] = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": ram,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "libs": libs,
        "load_start": load_average(),
    }
