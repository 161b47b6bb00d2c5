"""kycrail: a customer and KYC registry for crypto payment rails."""

__version__ = "0.1.0"
