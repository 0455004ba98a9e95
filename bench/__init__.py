"""Benchmarks and load generators (not part of the test run). `python -m bench` lists them."""
