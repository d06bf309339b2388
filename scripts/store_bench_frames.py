#!/usr/bin/env python
"""Frames for `rl bench store`, and the peer it is compared with (oracle/benchmark only).

Writes realistic observation sequences from the reference environments, played by a seeded
random policy, as .npy files:
  maze_56x56.npy     MiniGrid FourRooms, RGBImgPartialObsWrapper(tile_size=8): (N, 56, 56, 3)
  atari_210x160.npy  ale-py Breakout, frameskip 4, full RGB screen: (N, 210, 160, 3)
and prints, per file, the peer's cost for the same frames: numpy.savez_compressed of each
episode-sized block (zlib), bytes per step and milliseconds per step, as one JSON line.

usage: .tools/bin/python scripts/store_bench_frames.py OUT_DIR [--steps N] [--episode-steps L]
"""
import argparse, contextlib, io, json, os, sys, time

import numpy as np


def maze_frames(steps, seed):
    import gymnasium as gym
    import minigrid  # noqa: F401  (registers the environments)
    from minigrid.wrappers import RGBImgPartialObsWrapper
    env = RGBImgPartialObsWrapper(gym.make("MiniGrid-FourRooms-v0"), tile_size=8)
    rng = np.random.default_rng(seed)
    obs, _ = env.reset(seed=seed)
    frames = [obs["image"]]
    while len(frames) < steps:
        obs, _, terminated, truncated, _ = env.step(int(rng.integers(0, 3)))
        if terminated or truncated:
            obs, _ = env.reset()
        frames.append(obs["image"])
    return np.stack(frames)


def atari_frames(steps, seed):
    import gymnasium as gym
    import ale_py
    gym.register_envs(ale_py)
    # ale-py prints "Loading roms from ..." on stdout when ALE_ROMS_DIR is set.
    with contextlib.redirect_stdout(sys.stderr):
        env = gym.make("ALE/Breakout-v5", frameskip=4, repeat_action_probability=0.0)
        obs, _ = env.reset(seed=seed)  # a seeded reset loads the ROM again
    rng = np.random.default_rng(seed)
    frames = [obs]
    while len(frames) < steps:
        obs, _, terminated, truncated, _ = env.step(int(rng.integers(0, env.action_space.n)))
        if terminated or truncated:
            obs, _ = env.reset()
        frames.append(obs)
    return np.stack(frames)


def peer_cost(frames, episode_steps):
    """numpy.savez_compressed per episode-sized block: the store a Python user would write."""
    total_bytes, start = 0, time.perf_counter()
    for i in range(0, len(frames), episode_steps):
        buffer = io.BytesIO()
        np.savez_compressed(buffer, observation=frames[i:i + episode_steps])
        total_bytes += buffer.getbuffer().nbytes
    seconds = time.perf_counter() - start
    return total_bytes / len(frames), 1000 * seconds / len(frames)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--episode-steps", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for name, make in [("maze_56x56", maze_frames), ("atari_210x160", atari_frames)]:
        frames = make(args.steps, args.seed)
        path = os.path.join(args.out, name + ".npy")
        np.save(path, frames)
        runs = [peer_cost(frames, args.episode_steps) for _ in range(5)]
        bytes_per_step = runs[0][0]
        ms = sorted(r[1] for r in runs)[2]
        print(json.dumps({"file": path, "shape": list(frames.shape), "raw_bytes_per_step": int(np.prod(frames.shape[1:])),
                          "peer": "numpy.savez_compressed", "peer_bytes_per_step": bytes_per_step,
                          "peer_ms_per_step": ms}))


if __name__ == "__main__":
    main()
