"""Run a benchmark: `python -m bench` lists them, `python -m bench NAME [ARGS...]` runs one with its own args.

    .venv/bin/python -m bench                                    # the list
    .venv/bin/python -m bench content_search [--cases 20000]     # Chinese search, SQLite and PostgreSQL
    .venv/bin/python -m bench learning_hours [--officers 100000] # hours against rules, heartbeat endpoint
    .venv/bin/python -m bench exam_load all                      # exam-day load and the fault run
    .venv/bin/python -m bench mentorship_match                   # 500 mentees × 2,000 mentors, optimal vs greedy

Each benchmark's docstring says what it measures, what it needs and what it creates; `NAME --help` its args.
"""

from __future__ import annotations

import ast
import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
NOT_BENCHMARKS = {"__init__", "__main__", "common", "urls", "views"}


def benchmarks() -> dict[str, str]:
    """name -> first line of its docstring, for every bench/<name>.py that is a benchmark."""
    out = {}
    for path in sorted(HERE.glob("*.py")):
        if path.stem in NOT_BENCHMARKS:
            continue
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        out[path.stem] = doc.strip().splitlines()[0] if doc.strip() else ""
    return out


def main(argv: list[str]) -> int:
    found = benchmarks()
    if not argv or argv[0] in {"-h", "--help", "list"}:
        print(__doc__)
        for name, line in found.items():
            print(f"  {name:<16} {line}")
        return 0
    name, rest = argv[0], argv[1:]
    if name not in found:
        print(f"unknown benchmark {name!r}; one of: {', '.join(found)}", file=sys.stderr)
        return 2
    sys.argv = [str(HERE / f"{name}.py"), *rest]
    runpy.run_path(str(HERE / f"{name}.py"), run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
