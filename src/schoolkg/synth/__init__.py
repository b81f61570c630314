"""Synthetic but realistic schoolkg data with planted effects, for validation and benchmarks.

:mod:`schoolkg.synth.model` draws practice profiles and improvement outcomes in memory (numpy);
:mod:`schoolkg.synth.effects` reads the planted-effects file; :mod:`schoolkg.synth.graph`
turns a simulated population into N-Quads in the patterns of ``docs/modelling.md``.
"""
