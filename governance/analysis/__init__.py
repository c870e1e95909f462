"""Computations behind the data-quality and drift rule kinds.

These modules import numpy, pandas and scipy at their top level, so they are imported only
inside rule ``evaluate`` functions (never by ``governance policy lint``).
"""
