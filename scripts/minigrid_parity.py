#!/usr/bin/env python3
"""Oracle for the GridMaze parity tests: runs MiniGrid 3.2 itself.

Builds a MiniGrid environment for a seed, writes its layout in GridMaze's text-map format, then
applies the given actions and records MiniGrid's symbolic observation (the 7x7x3 `image`, flattened
in numpy's C order, i.e. [x][y][channel]), reward, terminated and truncated after each step,
stopping at the end of the episode. With --rgb it also records MiniGrid's RGB partial view
(get_frame(agent_pov=True), what RGBImgPartialObsWrapper returns) and the full highlighted map
(get_frame(highlight=True)) at tile size 8, base64-encoded. Prints one JSON object.

    minigrid_parity.py MiniGrid-DoorKey-8x8-v0 3 --actions 2,2,1,5 [--see-through-walls false] [--rgb]
        [--agent-view-size 5]
"""
import argparse
import base64
import json

import gymnasium as gym
import minigrid  # noqa: F401  (registers the MiniGrid environments)
from minigrid.core.constants import IDX_TO_COLOR

COLOR_LETTER = {"red": "r", "green": "g", "blue": "b", "purple": "p", "yellow": "y", "grey": "e"}
HEADING = [">", "v", "<", "^"]


def token(cell):
    if cell is None:
        return "."
    kind = cell.type
    if kind == "wall":
        return "#"
    if kind == "goal":
        return "G"
    if kind == "lava":
        return "~"
    letter = COLOR_LETTER[cell.color]
    if kind == "door":
        return ("O" if cell.is_open else "L" if cell.is_locked else "D") + letter
    if kind == "key":
        return "K" + letter
    if kind == "ball":
        return "B" + letter
    raise ValueError(f"no text-map token for {kind}")


def text_map(env):
    grid = env.grid
    ax, ay = int(env.agent_pos[0]), int(env.agent_pos[1])
    lines = []
    for y in range(grid.height):
        row = []
        for x in range(grid.width):
            row.append(HEADING[env.agent_dir] if (x, y) == (ax, ay) else token(grid.get(x, y)))
        lines.append(" ".join(t.ljust(2) for t in row))
    return "\n".join(lines) + "\n"


def frames(env):
    pov = env.get_frame(tile_size=8, agent_pov=True)
    full = env.get_frame(highlight=True, tile_size=8)
    return {"rgb": base64.b64encode(pov.tobytes()).decode(), "rgb_shape": list(pov.shape),
            "rgb_full": base64.b64encode(full.tobytes()).decode(), "rgb_full_shape": list(full.shape)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("env")
    parser.add_argument("seed", type=int)
    parser.add_argument("--actions", default="")
    parser.add_argument("--see-through-walls", choices=["true", "false"], default=None)
    parser.add_argument("--rgb", action="store_true")
    parser.add_argument("--agent-view-size", type=int, default=None)
    args = parser.parse_args()

    kwargs = {} if args.agent_view_size is None else {"agent_view_size": args.agent_view_size}
    env = gym.make(args.env, **kwargs).unwrapped
    if args.see_through_walls is not None:
        env.see_through_walls = args.see_through_walls == "true"
    obs, _ = env.reset(seed=args.seed)
    record = {"env": args.env, "seed": args.seed, "map": text_map(env), "max_steps": env.max_steps,
              "agent_view_size": env.agent_view_size,
              "see_through_walls": bool(env.see_through_walls),
              "initial": obs["image"].flatten().tolist(), "steps": []}
    if args.rgb:
        record["initial_frames"] = frames(env)
    actions = [int(a) for a in args.actions.split(",") if a != ""]
    for action in actions:
        obs, reward, terminated, truncated, _ = env.step(action)
        step = {"action": action, "image": obs["image"].flatten().tolist(), "reward": float(reward),
                "terminated": bool(terminated), "truncated": bool(truncated)}
        if args.rgb:
            step.update(frames(env))
        record["steps"].append(step)
        if terminated or truncated:
            break
    print(json.dumps(record))


if __name__ == "__main__":
    main()
