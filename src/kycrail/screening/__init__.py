"""Sanctions screening: the lists (parsed from their official formats into ``entries``), names made
comparable (``names``), candidates found and scored with an explanation (``matching``)."""
