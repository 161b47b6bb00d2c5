"""A real S3 server on loopback for the document store's tests: moto in server mode (started once per
test process, on demand), and a bucket of its own for each test."""

from __future__ import annotations

import threading
import uuid
from functools import cache
from typing import Any

import boto3

from tests.processes import free_port

CREDENTIALS = {"aws_access_key_id": "kycrail-test", "aws_secret_access_key": "kycrail-test-secret"}
REGION = "us-east-1"
_started = threading.Lock()


@cache
def _server_url() -> str:
    from moto.server import ThreadedMotoServer  # the server's imports are heavy: only when used

    port = free_port()
    ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False).start()
    return f"http://127.0.0.1:{port}"


def server_url() -> str:
    with _started:
        return _server_url()


def client(endpoint: str | None = None) -> Any:
    """A plain boto3 client: how the tests look into the bucket behind kycrail's back."""
    return boto3.client("s3", endpoint_url=endpoint or server_url(), region_name=REGION, **CREDENTIALS)


def new_bucket() -> str:
    name = f"kycrail-{uuid.uuid4().hex[:16]}"
    client().create_bucket(Bucket=name)
    return name


def settings_of(bucket: str, prefix: str = "documents", endpoint: str | None = None) -> dict[str, object]:
    """The settings that put documents in ``bucket`` (under ``prefix``)."""
    return {
        "document_store": f"s3://{bucket}/{prefix}",
        "s3_endpoint_url": endpoint or server_url(),
        "s3_region": REGION,
        "s3_access_key_id": CREDENTIALS["aws_access_key_id"],
        "s3_secret_access_key": CREDENTIALS["aws_secret_access_key"],
    }


def objects(bucket: str) -> dict[str, bytes]:
    """Every object in the bucket, by key, with its bytes."""
    s3 = client()
    found: dict[str, bytes] = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            found[item["Key"]] = s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
    return found
