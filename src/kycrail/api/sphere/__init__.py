"""SpherePay's v2 customer API dialect (``/v2``)."""
