// The environment protocol, spaces, wrappers, vector execution, seeded RNG and registry.
