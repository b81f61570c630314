"""schoolkg benchmarks: ``python -m bench`` (the harness) and the per-stage scripts ``bench/bench_*.py``."""
