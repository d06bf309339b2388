#!/usr/bin/env bash
# `make bench`: each of our benchmarks beside its peer, back to back in one run on this
# machine, so the ratios in BENCHMARKS.md can be reproduced. The peers' Python environment
# (PyTorch, ale-py, MiniGrid; several GB) is created by ../shared/anchors/setup.sh on first use.
# Select parts with BENCH="tensor maze atari ale agent" (default: all).
set -euo pipefail
cd "$(dirname "$0")/.."
rl=.build/release/rl
anchors=${ANCHORS_DIR:-../shared/anchors}
[ -d "$anchors" ] || { echo "error: $anchors is missing: the peers' scripts live there" >&2; exit 1; }
peer=$("$anchors/setup.sh")
parts=${BENCH:-"tensor maze atari ale agent"}
games=${GAMES:-"pong breakout space_invaders freeway boxing seaquest ms_pacman qbert montezuma_revenge road_runner robotank"}
has() { [[ " $parts " == *" $1 "* ]]; }

if has tensor; then
  echo "== tensor engine: Nature-CNN training step and inference vs PyTorch (torch_cnn.py)"
  for t in 1 2; do
    $rl bench tensor --threads "$t" --json
    "$peer" "$anchors/torch_cnn.py" "$t"
  done
  # This machine sets OPENBLAS_CORETYPE=Haswell (and OPENBLAS_L2_SIZE), which holds OpenBLAS to
  # its AVX2 kernels; PyTorch's MKL/oneDNN is not held. The same pair again with both unset for
  # these commands alone, so OpenBLAS picks its own kernel for the CPU (blas_core says which).
  if [ -n "${OPENBLAS_CORETYPE:-}" ]; then
    echo "== the same with OpenBLAS's own kernel choice (OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset)"
    for t in 1 2; do
      env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $rl bench tensor --threads "$t" --json
      env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$peer" "$anchors/torch_cnn.py" "$t"
    done
  fi
fi

if has maze; then
  echo "== grid mazes vs MiniGrid (minigrid_fps.py), one thread; then our vector env on 1 and 2 threads"
  "$peer" "$anchors/minigrid_fps.py"
  for id in maze/empty-8 maze/four-rooms maze/doorkey-8; do
    $rl bench env "$id" --obs symbolic --steps 1000000 --rounds 3 --json
    $rl bench env "$id" --obs rgb --steps 300000 --rounds 3 --json
  done
  for obs in symbolic rgb; do for t in 1 2; do
    $rl bench env maze/four-rooms --obs "$obs" --num-envs 64 --threads "$t" --steps 1000000 --rounds 3 --json
  done; done
fi

if has atari; then
  echo "== Atari console vs ale-py (ale_fps.py, run by --peer right after ours), one core"
  for g in $games; do
    $rl bench atari "$g" --frames 10000 --repeats 3 --peer "$peer" --json
  done
fi

if has ale; then
  echo "== preprocessed Atari (atari100k preset) vs ale-py's C++ vector env (ale_vec_fps.py)"
  for cfg in "1 1" "8 2"; do
    set -- $cfg
    # --peer runs ale_vec_fps.py with the same envs and threads after each of our rounds;
    # fire-reset=true because its AtariVectorEnv presses FIRE at reset by default.
    $rl bench env atari/pong --option preset=atari100k --option fire-reset=true --num-envs "$1" --threads "$2" --steps 12000 --rounds 3 --peer "$peer" --json
  done
fi

if has agent; then
  echo "== DQN agent loop on Pong vs PyTorch + ale-py (torch_dqn_atari.py), 2 threads"
  $rl bench agent dqn --env atari/pong --option preset=nature --preset nature --set learning_starts=1000 --threads 2 --steps 1000 --rounds 3 --json
  "$peer" "$anchors/torch_dqn_atari.py" 3000 2
  if [ -n "${OPENBLAS_CORETYPE:-}" ]; then
    echo "== the same with OpenBLAS's own kernel choice (OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset)"
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $rl bench agent dqn --env atari/pong --option preset=nature --preset nature --set learning_starts=1000 --threads 2 --steps 1000 --rounds 3 --json
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$peer" "$anchors/torch_dqn_atari.py" 3000 2
  fi
fi
