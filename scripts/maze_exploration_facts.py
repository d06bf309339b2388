"""Facts about MiniGrid 3.2's mazes that explain why DQN runs on them fail or succeed, measured
with MiniGrid itself (the oracle): how often a uniformly random policy reaches the goal (what
epsilon-greedy finds before it learns anything) and, for FourRooms, how often the goal is in the
agent's starting room or its first 7x7 view (what a memoryless policy can see).

usage: .tools/bin/python scripts/maze_exploration_facts.py
"""
import warnings

import gymnasium as gym
import minigrid  # noqa: F401  (registers the environments)
import numpy as np

warnings.filterwarnings("ignore")


def random_policy(env_id, episodes, rng):
    env = gym.make(env_id)
    successes = held_key = 0
    for episode in range(episodes):
        env.reset(seed=episode)
        done, key = False, False
        while not done:
            _, reward, terminated, truncated, _ = env.step(int(rng.integers(7)))
            done = terminated or truncated
            key = key or env.unwrapped.carrying is not None
            successes += reward > 0
        held_key += key
    print(f"{env_id}: random policy success {successes / episodes:.3f}, held the key {held_key / episodes:.2f}, "
          f"max_steps {env.unwrapped.max_steps} ({episodes} episodes)")


def four_rooms_goal_visibility(episodes):
    env = gym.make("MiniGrid-FourRooms-v0")
    same_room = visible = 0
    for episode in range(episodes):
        obs, _ = env.reset(seed=episode)
        u = env.unwrapped
        gx, gy = next((x, y) for x in range(u.width) for y in range(u.height)
                      if u.grid.get(x, y) is not None and u.grid.get(x, y).type == "goal")
        ax, ay = u.agent_pos
        same_room += (ax < 9) == (gx < 9) and (ay < 9) == (gy < 9)
        visible += bool((obs["image"][:, :, 0] == 8).any())
    print(f"FourRooms: goal in the starting room {same_room / episodes:.3f}, "
          f"in the first view {visible / episodes:.3f} ({episodes} layouts)")


def main():
    rng = np.random.default_rng(0)
    random_policy("MiniGrid-DoorKey-8x8-v0", 300, rng)
    random_policy("MiniGrid-FourRooms-v0", 500, rng)
    random_policy("MiniGrid-MultiRoom-N4-S5-v0", 300, rng)
    four_rooms_goal_visibility(1000)


if __name__ == "__main__":
    main()
