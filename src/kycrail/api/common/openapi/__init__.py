"""What the app's OpenAPI document adds to FastAPI's: examples, headers, named variants."""
