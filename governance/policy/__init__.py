"""Policies: the declarative YAML rule sets a model release is gated on."""
