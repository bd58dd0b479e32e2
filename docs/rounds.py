# Runs commands in turns, round after round, and prints each one's median
# time and the median of its per-round ratio to the first command: a
# drift of the machine's speed between rounds moves every command of a
# round alike. docs/benchmarks.md uses it.
#
#   python3 docs/rounds.py [--fresh DIR] ROUNDS COMMAND...
#
# --fresh DIR removes DIR before each command, untimed: each run of
# `ilms-bulk validate ... --out DIR` then writes a new run folder, as the
# default --out does.
import shutil, statistics, subprocess, sys, time

args = sys.argv[1:]
fresh = None
if args[:1] == ["--fresh"]:
    fresh, args = args[1], args[2:]
n, cmds = int(args[0]), args[1:]
runs = {c: [] for c in cmds}
for _ in range(n):
    for c in cmds:
        if fresh:
            shutil.rmtree(fresh, ignore_errors=True)
        t = time.perf_counter()
        subprocess.run(c, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        runs[c].append(time.perf_counter() - t)
for c in cmds:
    ratios = [a / b for a, b in zip(runs[c], runs[cmds[0]])]
    print(f"{statistics.median(runs[c]):.3f} s  ratio {statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f})  {c}")
