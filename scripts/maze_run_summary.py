"""Summarises a training run's metrics.csv by windows of steps: episodes, training success
rate, mean return, mean Q, loss, epsilon. Used to tell why a maze run fails (goal never found,
found and forgotten, Q-values collapsing) before changing anything.

usage: python scripts/maze_run_summary.py RUN_DIR [WINDOW_STEPS]
"""
import csv
import sys


def main():
    run, window = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 25000
    rows = list(csv.DictReader(open(f"{run}/metrics.csv")))
    print(f"{'steps':>8} {'episodes':>8} {'successes':>9} {'rate':>6} {'return':>7} {'mean_q':>8} {'loss':>9} {'eps':>5}")
    buckets = {}
    for r in rows:
        buckets.setdefault(int(r["step"]) // window, []).append(r)
    total = 0
    for k in sorted(buckets):
        rs = buckets[k]
        succ = sum(r["success"] == "1" for r in rs)
        total += succ
        q = [float(r["mean_q"]) for r in rs if r["mean_q"]]
        loss = [float(r["loss"]) for r in rs if r["loss"]]
        ret = sum(float(r["episode_return"]) for r in rs) / len(rs)
        print(f"{(k + 1) * window:>8} {len(rs):>8} {succ:>9} {succ / len(rs):>6.2f} {ret:>7.3f} "
              f"{(sum(q) / len(q) if q else float('nan')):>8.3f} {(sum(loss) / len(loss) if loss else float('nan')):>9.5f} "
              f"{float(rs[-1]['epsilon']):>5.2f}")
    print(f"total successes {total} in {len(rows)} episodes")


if __name__ == "__main__":
    main()
