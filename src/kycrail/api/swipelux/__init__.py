"""Swipelux's v1 customer API dialect (``/v1``)."""
