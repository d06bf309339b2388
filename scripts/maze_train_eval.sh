#!/bin/sh
# Trains one DQN maze run and evaluates it over 100 episodes, the way BENCHMARKS.md's maze-learning rows
# were made: OUT.log gets the training output and its wall time, OUT-eval.json the evaluation.
# usage: scripts/maze_train_eval.sh OUT ENV STEPS SEED [rl train arguments...]
# e.g.   scripts/maze_train_eval.sh runs/dk8-s1 maze/doorkey-8 300000 1 --preset maze-count
set -e
out=$1 env=$2 steps=$3 seed=$4
shift 4
RL=${RL:-.build/release/rl}
/usr/bin/time -f "wall %e s" "$RL" train --env "$env" --agent dqn --steps "$steps" --seed "$seed" --out "$out" \
    --set threads=1 "$@" > "$out.log" 2>&1
"$RL" eval "$out" --episodes 100 --json > "$out-eval.json" 2> "$out-eval.err"
