"""Routes both dialects mount, each under its own prefix and shape."""
