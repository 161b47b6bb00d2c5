"""Back-office routes (``/ops``), for reviewer keys; errors in Sphere's shape."""
