"""What a perfect agent scores on MiniGrid FourRooms and DoorKey-8x8: a breadth-first search over
(position, heading, key carried, door open) on MiniGrid's own layouts gives each episode's
fewest steps, hence the best return 1 - 0.9 * steps / max_steps. The reference ceiling for the
DQN learning figures in BENCHMARKS.md, the maze-learning sections (an oracle: it sees the whole map).

usage: .tools/bin/python scripts/maze_expert_returns.py [episodes]
"""
import sys
from collections import deque

import gymnasium as gym
import minigrid  # noqa: F401  (registers the environments)
from minigrid.core.world_object import Door, Goal, Key

DIRS = [(1, 0), (0, 1), (-1, 0), (0, -1)]  # MiniGrid's DIR_TO_VEC: right, down, left, up


def fewest_steps(env):
    """Fewest actions from the reset state to the goal (turns, forward, pickup, toggle)."""
    u = env.unwrapped
    grid = u.grid
    start = (*u.agent_pos, u.agent_dir, False, False)
    seen = {start}
    queue = deque([(start, 0)])
    while queue:
        (x, y, d, key, door), n = queue.popleft()
        dx, dy = DIRS[d]
        fx, fy = x + dx, y + dy
        front = grid.get(fx, fy)
        moves = [(x, y, (d + 1) % 4, key, door), (x, y, (d - 1) % 4, key, door)]
        if isinstance(front, Goal):
            return n + 1
        # The only key is the one picked up: once carried, its cell is floor.
        passable = (front is None or (isinstance(front, Door) and (door or front.is_open))
                    or (isinstance(front, Key) and key))
        if passable:
            moves.append((fx, fy, d, key, door))
        if isinstance(front, Key) and not key:
            moves.append((x, y, d, True, door))
        if isinstance(front, Door) and not door and (key or not front.is_locked):
            moves.append((x, y, d, key, True))
        for m in moves:
            if m not in seen:
                seen.add(m)
                queue.append((m, n + 1))
    return None


def main():
    episodes = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    for name in ["MiniGrid-FourRooms-v0", "MiniGrid-DoorKey-8x8-v0"]:
        env = gym.make(name)
        steps = []
        for seed in range(episodes):
            env.reset(seed=seed)
            steps.append(fewest_steps(env))
        max_steps = env.unwrapped.max_steps
        ok = [s for s in steps if s is not None and s <= max_steps]
        returns = [1 - 0.9 * s / max_steps for s in ok]
        print(f"{name}: max_steps {max_steps}, {episodes} layouts, solvable within max_steps {len(ok) / episodes:.1%}, "
              f"fewest steps mean {sum(ok) / len(ok):.1f} max {max(ok)}, best mean return {sum(returns) / episodes:.3f}")


if __name__ == "__main__":
    main()
