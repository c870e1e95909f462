"""Benchmarks of issue 8: ``.venv/bin/python -m benchmarks [--quick]`` (see __main__)."""
