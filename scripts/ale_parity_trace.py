#!/usr/bin/env python3
"""ALE-parity reference for the Atari console tests (oracle only, never needed at run time).

Runs ale-py on one ROM and prints one JSON object per emulated frame, following the protocol of
../shared/anchors/ale_trace.py: random_seed=ALE_SEED, repeat_action_probability=0, frame skip 1,
minimal action set; line 0 is the state right after loadROM; then per frame a new random
minimal-set action every 4 frames (numpy default_rng(ACTION_SEED)), one act(), and a line with
the action, the 128 bytes of RAM (hex) and the md5 of the palette-index screen (getScreen);
after game over, reset_game() and a line with "reset": true.
With --rows-at F the lines of frame F also carry the screen rows in hex, for locating a
difference. Usage: ale_parity_trace.py GAME [--frames N] [--action-seed S] [--ale-seed S] [--rows-at F]"""
import argparse
import contextlib
import hashlib
import json
import sys

import numpy as np
from ale_py import ALEInterface, LoggerMode, roms

parser = argparse.ArgumentParser()
parser.add_argument("game")
parser.add_argument("--frames", type=int, default=300)
parser.add_argument("--action-seed", type=int, default=0)
parser.add_argument("--ale-seed", type=int, default=0)
parser.add_argument("--rows-at", type=int, default=-1,
                    help="also print the screen rows (hex) on the lines of this frame")
args = parser.parse_args()

ALEInterface.setLoggerMode(LoggerMode.Error)
ale = ALEInterface()
ale.setInt("random_seed", args.ale_seed)
ale.setFloat("repeat_action_probability", 0.0)
# ale-py prints "Loading roms from ..." on stdout when ALE_ROMS_DIR is set; stdout is the trace.
with contextlib.redirect_stdout(sys.stderr):
    ale.loadROM(roms.get_rom_path(args.game))
actions = ale.getMinimalActionSet()
rng = np.random.default_rng(args.action_seed)


def emit(**fields):
    fields.update(lives=ale.lives(), game_over=ale.game_over(),
                  ram=ale.getRAM().tobytes().hex(),
                  screen_md5=hashlib.md5(ale.getScreen().tobytes()).hexdigest())
    if fields["frame"] == args.rows_at:
        fields["rows"] = [row.tobytes().hex() for row in ale.getScreen()]
    print(json.dumps(fields))


emit(frame=0)
action = actions[0]
for frame in range(1, args.frames + 1):
    if frame % 4 == 1:
        action = actions[rng.integers(len(actions))]
    reward = ale.act(action)
    emit(frame=frame, action=int(action.value), reward=reward)
    if ale.game_over():
        ale.reset_game()
        emit(frame=frame, reset=True)
