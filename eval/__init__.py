"""Evaluation and benchmarks: gold questions, standard metrics, measured speed."""
