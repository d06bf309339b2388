#!/usr/bin/env python3
"""Preprocessing reference for the ALE tests (oracle only): Gymnasium's AtariPreprocessing over
ale-py (frameskip=1 environment, repeat_action_probability=0, noop_max=0, frame_skip=4,
grayscale, 84x84 INTER_AREA), driven by a fixed random action sequence (numpy
default_rng(ACTION_SEED) over the minimal action set). Prints one JSON line per observation:
step (0 = after reset), action (index into the minimal set), reward, terminated, and the
84x84 observation as hex. Usage: ale_preprocessing_trace.py GAME [--steps N] [--action-seed S]"""
import argparse
import contextlib
import json
import sys

import ale_py
import gymnasium as gym
import numpy as np
from gymnasium.wrappers import AtariPreprocessing

parser = argparse.ArgumentParser()
parser.add_argument("game")
parser.add_argument("--steps", type=int, default=200)
parser.add_argument("--action-seed", type=int, default=0)
args = parser.parse_args()

gym.register_envs(ale_py)
# ale-py prints "Loading roms from ..." on stdout when ALE_ROMS_DIR is set; stdout is the trace.
with contextlib.redirect_stdout(sys.stderr):
    env = gym.make("ALE/" + "".join(p.capitalize() for p in args.game.split("_")) + "-v5",
                   frameskip=1, repeat_action_probability=0.0)
    env = AtariPreprocessing(env, noop_max=0, frame_skip=4, screen_size=84, grayscale_obs=True)
    obs, _ = env.reset(seed=0)  # a seeded reset loads the ROM again
print(json.dumps(dict(step=0, obs=obs.tobytes().hex())))
rng = np.random.default_rng(args.action_seed)
for step in range(1, args.steps + 1):
    action = int(rng.integers(env.action_space.n))
    obs, reward, terminated, truncated, _ = env.step(action)
    print(json.dumps(dict(step=step, action=action, reward=float(reward), terminated=bool(terminated),
                          obs=obs.tobytes().hex())))
    if terminated or truncated:
        break
