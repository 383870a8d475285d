"""Run benchmarks by name: ``python -m benchmarks [NAME ...] [-- ARGS]``.

With no name, runs them all. Each prints its times and the ratio to its
references, measured in the same run.
"""
import os
import runpy
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def available():
    return sorted(f[:-3] for f in os.listdir(HERE)
                  if f.endswith(".py") and not f.startswith("_"))


def main(argv):
    # Names first; everything from the first option on goes to each benchmark.
    split = next((i for i, a in enumerate(argv) if a.startswith("-")), len(argv))
    names, extra = argv[:split] or available(), argv[split:]
    unknown = [n for n in names if n not in available()]
    if unknown:
        sys.exit(f"unknown benchmark(s) {unknown}; available: {', '.join(available())}")
    sys.path.insert(0, HERE)
    for name in names:
        print(f"== {name} ==", flush=True)
        sys.argv = [os.path.join(HERE, name + ".py")] + extra
        runpy.run_path(sys.argv[0], run_name="__main__")


if __name__ == "__main__":
    main(sys.argv[1:])
