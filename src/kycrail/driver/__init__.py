"""SQLAlchemy Core statements run on the raw driver (sqlite3 inline, asyncpg), without the greenlet bridge.

Repositories keep building their statements with SQLAlchemy Core; ``statements`` compiles each once per
dialect and keeps what running it needs (SQL text, parameter order, type processors). ``sqlite`` and
``postgres`` each own their connections: SQLAlchemy's async engine, a greenlet switch per call and
~200 us of Python per statement, is left to migrations and administration.
"""
