// The Atari 2600 console: 6507 CPU, RIOT, TIA, cartridges.
