"""A seeded, realistic sample studio (channels, hosts, calendar, past livestreams) for demos, tests and benchmarks."""
