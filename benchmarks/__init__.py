"""Benchmarks of the plugin (``benchmarks/benchmark.py``) and their
synthetic data (``benchmarks/synthetic.py``)."""

__all__ = []
