"""What a repository is handed: a connection that runs Core statements; and a database that lends them."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement

from kycrail.driver.result import Result
from kycrail.driver.statements import Compiled, StatementCache
from kycrail.metrics.pool import Lending

Parameters = Mapping[str, Any] | Sequence[Mapping[str, Any]] | None


class Connection(ABC):
    """The part of SQLAlchemy's ``AsyncConnection`` the repositories use: ``execute``, ``begin_nested``
    and ``dialect``. A list of parameter sets runs the statement once for each (executemany)."""

    def __init__(self, statements: StatementCache) -> None:
        self._statements = statements
        self.dialect: Dialect = statements.dialect

    async def execute(self, statement: ClauseElement, parameters: Parameters = None) -> Result:
        if parameters is None or isinstance(parameters, Mapping):
            values = parameters or {}
            compiled, extracted = self._statements.get(statement, tuple(sorted(values)), False)
            sql, args = compiled.parameters(values, extracted)
            return await self._run(compiled, sql, args)
        if not parameters:
            return Result([], 0)
        compiled, extracted = self._statements.get(statement, tuple(sorted(parameters[0])), True)
        return await self._run_many(
            compiled.sql, [compiled.parameters(one, extracted)[1] for one in parameters]
        )

    @abstractmethod
    async def _run(self, compiled: Compiled, sql: str, args: list[Any]) -> Result: ...

    @abstractmethod
    async def _run_many(self, sql: str, args: list[list[Any]]) -> Result: ...

    @abstractmethod
    def begin_nested(self) -> AbstractAsyncContextManager[None]:
        """A savepoint: what runs inside is undone alone when it raises."""


class Database(ABC):
    """The connections of one database. ``connect`` lends one for reads (each statement committed on
    its own); ``transaction`` lends one inside a write transaction, committed when the block ends and
    rolled back when it raises (cancellation included). ``lending`` counts what is lent and waited
    for (the pool's metrics)."""

    def __init__(self, dialect: Dialect, pool_size: int) -> None:
        self.statements = StatementCache.of(dialect)
        self.lending = Lending(pool_size)

    @abstractmethod
    def connect(self) -> AbstractAsyncContextManager[Connection]: ...

    @abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[Connection]: ...

    @abstractmethod
    async def close(self) -> None:
        """Close every idle connection; the database opens new ones if it is used again."""

    @abstractmethod
    def close_now(self) -> None:
        """``close`` for a caller that cannot await."""
