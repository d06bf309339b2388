#!/usr/bin/env bash
# `make bench`: each of our benchmarks beside its peer, in one run on this machine, so the
# ratios in BENCHMARKS.md can be reproduced. The peers' Python environment (with PyTorch,
# several GB) is created by ../shared/anchors/setup.sh on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
rl=.build/release/rl
anchors=${ANCHORS_DIR:-../shared/anchors}
[ -d "$anchors" ] || { echo "error: $anchors is missing: the peers' scripts live there" >&2; exit 1; }
peer_python=$("$anchors/setup.sh")
threads_list=${THREADS:-"1 2"}

echo "== tensor engine: Nature-CNN training step vs PyTorch"
for t in $threads_list; do
  $rl bench tensor --threads "$t"
  "$peer_python" "$anchors/torch_cnn.py" "$t"
done

echo "== grid mazes vs MiniGrid"
for id in maze/empty-8 maze/four-rooms maze/doorkey-8; do
  $rl bench env "$id" --obs symbolic
  $rl bench env "$id" --obs rgb
done
$rl bench env maze/four-rooms --num-envs 8 --threads 2
"$peer_python" "$anchors/minigrid_fps.py"
