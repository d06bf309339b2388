// Replay buffers for learners and the on-disk trajectory store.
