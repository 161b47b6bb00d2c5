"""Create or drop a PostgreSQL database for one CI run: `python postgres_database.py create|drop URL`.

The URL names the database to create; the server's `postgres` database is used to create it.
"""

import asyncio
import sys
from urllib.parse import urlsplit, urlunsplit

import asyncpg


async def main(action: str, url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"refusing an unusual database name: {name!r}")
    admin = await asyncpg.connect(urlunsplit(parts._replace(path="/postgres")))
    try:
        if action == "create":
            await admin.execute(f'CREATE DATABASE "{name}"')
        else:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
