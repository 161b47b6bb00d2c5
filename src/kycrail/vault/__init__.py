"""Data protection: envelope encryption of personal data, the key ring, blind indexes, crypto-shredding.

Each customer's personal data is sealed (AES-256-GCM) under the customer's own data key; data keys are
stored wrapped by a key-encryption key (KEK) from the key ring; erasing a customer destroys its data key.
See docs/data-protection.md for the design and the threat model.
"""
