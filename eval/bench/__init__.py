"""`python -m eval bench`: speed, overload and rebuilds, beside the service a user would write.

common (helpers, sampling) · server (a service under test as a subprocess) · parts (build,
in-process, scale) · load (HTTP parts: levels, side by side, soak, overload, rebuild) ·
report (Markdown, targets) · cli (arguments, the run).
"""
from eval.bench.cli import ALL_PARTS, DEFAULT_PARTS, main, parse_args

__all__ = ["ALL_PARTS", "DEFAULT_PARTS", "main", "parse_args"]
