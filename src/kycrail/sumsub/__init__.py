"""SumSub: a signed client, typed payloads, the mapping onto customers, and a sandbox emulator."""
