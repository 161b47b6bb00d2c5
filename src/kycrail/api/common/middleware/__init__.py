"""The pipeline's stages, plain ASGI, in the order api/pipeline.py puts them."""
