"""kycrail's Python client: the generated, typed operations (``kycrail_api``) on an HTTP client that
does what a payment platform's SDK should.

    from kycrail_client import connect
    from kycrail_api.api.sphere_pay_v_2 import update_customer_v2_customer_customer_id_patch as patch

    with connect("https://kyc.example.com", api_key) as api:
        customer = patch.sync(customer_id, client=api, body=UpdateCustomerIn(...))

- every write carries an ``Idempotency-Key`` made for it, the same across its retries;
- 429 and 503 (and a connection that broke before an answer) are retried with backoff, honouring
  ``Retry-After``; no other 4xx ever is;
- webhooks are verified by ``kycrail_client.webhooks`` (Standard Webhooks, and SpherePay's ``signature``).
"""

from kycrail_client.connect import connect, connect_async
from kycrail_client.retries import RetryPolicy
from kycrail_client.webhooks import InvalidSignature, verify_sphere, verify_standard

__all__ = [
    "InvalidSignature",
    "RetryPolicy",
    "connect",
    "connect_async",
    "verify_sphere",
    "verify_standard",
]
