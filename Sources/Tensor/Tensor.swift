// The shared tensor engine (see the issue "Foundation"). Knows nothing of RL.
