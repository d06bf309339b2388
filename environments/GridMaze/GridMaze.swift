// MiniGrid-like grid mazes.
