"""The import scenario's load process: N concurrent ``PUT /v1/customers/{id}`` with fresh share tokens.

Before the clock starts: mint N share tokens for the emulator's ``sandbox-approved`` donor (with no
latency), turn the emulator's latency knob up, create N customers with ``POST /v1/customers {}`` and
open the connections. Then it sends the N PUTs at once and prints one JSON line: the wall time for
all of them and how many came back 200 with status ``approved``.

    python bench/import_load.py --kycrail URL --key KEY --sumsub URL --app-token T --secret-key S
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from collections import Counter
from typing import Any

import httpx

from kycrail.sumsub.sandbox import SandboxSumsubClient
from kycrail.sumsub.signing import signed_headers

DONOR = "sandbox-approved"
RECIPIENT_CLIENT_ID = "kycrail-sandbox"


async def set_latency(sumsub_url: str, app_token: str, secret_key: str, seconds: float) -> None:
    path = "/_sandbox/knobs"
    body = json.dumps({"latency_seconds": seconds}).encode()
    headers = signed_headers(app_token, secret_key, "POST", path, body, int(time.time()))
    async with httpx.AsyncClient(base_url=sumsub_url, timeout=10) as client:
        response = await client.post(
            path, content=body, headers={**headers, "Content-Type": "application/json"}
        )
    response.raise_for_status()


async def mint_tokens(sumsub_url: str, app_token: str, secret_key: str, count: int) -> list[str]:
    async with SandboxSumsubClient(sumsub_url, app_token, secret_key, timeout_seconds=10) as client:
        donor = await client.get_applicant_by_external_id(DONOR)
        return list(
            await asyncio.gather(
                *(
                    client.mint_share_token(donor.id, for_client_id=RECIPIENT_CLIENT_ID, ttl_seconds=600)
                    for _ in range(count)
                )
            )
        )


async def run(args: argparse.Namespace) -> dict[str, Any]:
    await set_latency(args.sumsub, args.app_token, args.secret_key, 0)
    tokens = await mint_tokens(args.sumsub, args.app_token, args.secret_key, args.count)
    await set_latency(args.sumsub, args.app_token, args.secret_key, args.latency)
    limits = httpx.Limits(max_connections=args.count, max_keepalive_connections=args.count)
    headers = {"X-API-Key": args.key}
    async with httpx.AsyncClient(base_url=args.kycrail, headers=headers, limits=limits, timeout=60) as client:
        created = await asyncio.gather(*(client.post("/v1/customers", json={}) for _ in range(args.count)))
        if any(response.status_code != 201 for response in created):
            raise SystemExit(f"creating customers failed: {[r.status_code for r in created]}")
        ids = [response.json()["id"] for response in created]
        await asyncio.gather(*(client.get("/healthz") for _ in range(args.count)))  # open the connections

        async def put(index: int, customer_id: str, token: str) -> tuple[int, str | None, float]:
            started = time.perf_counter()
            # Every import is the same donor: each customer brings its own email and phone, which are
            # unique per tenant (the donor's would be taken over otherwise, and collide from the second).
            body = {
                "shareToken": token,
                "email": f"import.{index}@example.com",
                "phone": f"+1646555{index:04d}",
            }
            response = await client.put(f"/v1/customers/{customer_id}", json=body)
            elapsed = time.perf_counter() - started
            status = response.json().get("status") if response.status_code == 200 else response.text[:200]
            return response.status_code, status, elapsed

        started = time.perf_counter()
        puts = (put(index, *pair) for index, pair in enumerate(zip(ids, tokens, strict=True)))
        answers = await asyncio.gather(*puts)
        wall = time.perf_counter() - started
    await set_latency(args.sumsub, args.app_token, args.secret_key, 0)
    latencies = sorted(elapsed for _, _, elapsed in answers)
    return {
        "count": args.count,
        "wall_seconds": wall,
        "approved": sum(1 for code, status, _ in answers if code == 200 and status == "approved"),
        "statuses": dict(
            Counter(f"{code} {status if code == 200 else ''}".strip() for code, status, _ in answers)
        ),
        "failures": [status for code, status, _ in answers if code != 200][:3],
        "p50_ms": statistics.median(latencies) * 1000,
        "max_ms": latencies[-1] * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kycrail", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--sumsub", required=True)
    parser.add_argument("--app-token", required=True)
    parser.add_argument("--secret-key", required=True)
    parser.add_argument("--count", type=int, default=64)
    parser.add_argument("--latency", type=float, default=0.2)
    print(json.dumps(asyncio.run(run(parser.parse_args()))), flush=True)


if __name__ == "__main__":
    main()
