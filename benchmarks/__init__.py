"""Benchmarks of the plugin: throughput, latency, memory and FLOPs
(``benchmarks/benchmark.py``), a config's own training throughput
(``benchmarks/train_throughput.py``) and the memory of streamed inference
(``benchmarks/inference_memory.py``)."""

__all__ = []
