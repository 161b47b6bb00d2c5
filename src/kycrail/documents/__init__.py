"""Identity, liveness and address documents: content checks and storage."""
