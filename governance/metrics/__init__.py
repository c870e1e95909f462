"""Metrics recomputed from artifacts: confusion counts, classification, regression, ranking,
fairness and bootstrap confidence intervals.

The package itself is import-light: :mod:`governance.metrics.names` (the metric catalogue) is
imported by rule ``Params`` at policy-lint time and must not load numpy. Every other module
imports numpy at top level and is imported only from inside a rule's ``evaluate``.
"""
