"""What every dialect shares: request context, auth, error dispatch."""
