"""The dialect-neutral customer: model, rules, verification, storage and use cases."""
