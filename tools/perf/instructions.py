#!/usr/bin/env python3
"""Instructions one `hedui check` executes, counted by valgrind's callgrind.

Wall time on the development machine moves by 10-15 % between runs minutes apart and at
times by half, so a change of a few per cent cannot be seen in it. The number of
instructions executed does not depend on the machine's speed: two runs of one build on one
world agree within 0.05 %. Compare two builds by it, beside alternated wall times.

What it does not show: cache misses (a change that only reorders memory accesses saves
time, not instructions), and code that picks its instructions by CPU feature. Under
valgrind, SHA-256 and UTF-8 checking take their portable paths; the input hashing is
printed apart so that it can be left out of a comparison.

    python3 tools/perf/instructions.py BIN CONFIG [BIN CONFIG ...]

Builds run one after the other (each under valgrind is about 80x slower: two minutes at
20,000 households). Needs valgrind (callgrind_annotate comes with it).
"""

import re
import subprocess
import sys
import tempfile
from pathlib import Path


# Where the input hashing shows in a profile. Which of them is a frame of its own depends
# on what the compiler inlined into what, so the largest inclusive count of any is taken.
HASHING = (
    "hedui_ingest::hashing::sha256_file",
    "sha2::sha256::compress256",
    "sha2::sha256::soft::compress",
)


def count(binary: str, config: str) -> tuple[int, int]:
    """(all instructions, those under the input hashing) of one check."""
    with tempfile.TemporaryDirectory() as folder:
        profile = Path(folder) / "callgrind.out"
        run = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={profile}",
                binary,
                "-q",
                "check",
                "--config",
                config,
                "--out",
                str(Path(folder) / "run"),
            ],
            capture_output=True,
            text=True,
        )
        if run.returncode != 0:
            sys.exit(f"{binary}: check failed (exit {run.returncode}):\n{run.stderr[-2000:]}")
        annotated = subprocess.run(
            ["callgrind_annotate", "--inclusive=yes", str(profile)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    total = hashing = 0
    for line in annotated.splitlines():
        match = re.match(r"\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(.*)", line)
        if not match:
            continue
        value = int(match.group(1).replace(",", ""))
        if "PROGRAM TOTALS" in match.group(2):
            total = value
        elif any(name in match.group(2) for name in HASHING):
            hashing = max(hashing, value)
    return total, hashing


def main() -> None:
    args = sys.argv[1:]
    if not args or len(args) % 2:
        sys.exit(__doc__)
    rows = []
    for binary, config in zip(args[::2], args[1::2]):
        total, hashing = count(binary, config)
        rows.append((binary, total, hashing))
    base = rows[0][1] - rows[0][2]
    print("build\tinstructions\tof which input hashing\twithout hashing\tratio to the first")
    for binary, total, hashing in rows:
        rest = total - hashing
        print(f"{binary}\t{total:,}\t{hashing:,}\t{rest:,}\t{rest / base:.4f}")


if __name__ == "__main__":
    main()
