"""A Core statement compiled once per dialect, and the positional parameters of one execution.

This follows what SQLAlchemy's ``DefaultExecutionContext._init_compiled`` does for a compiled statement:
``construct_params`` (with the literal values of this call's statement, found by its cache key), the
dialect's bind processors, post-compile expansion for ``IN`` lists, then the driver's positional order.
Results get the compiled statement's result processors, per column.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.cache_key import CacheKey
from sqlalchemy.sql.compiler import SQLCompiler

Processor = Callable[[Any], Any]
CACHE_SIZE = 1000  # distinct (statement, columns) shapes kept; the code has about a hundred


class Row(tuple[Any, ...]):
    """A result row: a tuple whose values are also attributes, with ``_mapping`` as SQLAlchemy's."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    if TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any: ...

        @classmethod
        def _make(cls, values: Iterable[Any]) -> Row: ...

    @property
    def _mapping(self) -> dict[str, Any]:
        return dict(zip(self._fields, self, strict=True))


def _row_type(names: Sequence[str]) -> type[Row]:
    base = namedtuple("Row", names, rename=True)  # type: ignore[misc]
    return type("Row", (base, Row), {"__slots__": ()})


class Compiled:
    """One statement's compiled form for one dialect, and the shape of its result."""

    __slots__ = ("_bind", "_compiled", "_expanding", "_order", "_results", "returns_rows", "row_type", "sql")

    def __init__(self, compiled: SQLCompiler, dialect: Dialect) -> None:
        if compiled.insert_prefetch or compiled.update_prefetch:
            # Python-side column defaults: no table here has any (the database fills its own).
            raise NotImplementedError("columns with Python-side defaults are not supported")
        self._compiled = compiled
        self.sql = compiled.string
        self._order: Sequence[str] = compiled.positiontup or ()
        self._bind: Mapping[str, Processor] = compiled._bind_processors  # type: ignore[assignment]
        self._expanding = bool(compiled.literal_execute_params or compiled.post_compile_params)
        self.returns_rows = bool(compiled._result_columns) or compiled.isplaintext
        columns = compiled._result_columns
        self.row_type = _row_type([column.keyname for column in columns]) if columns else None
        self._results: list[Processor | None] = [
            column.type._cached_result_processor(dialect, None) for column in columns
        ]

    def parameters(self, values: Mapping[str, Any], extracted: Sequence[Any] | None) -> tuple[str, list[Any]]:
        """The SQL and positional parameters of one execution with ``values``."""
        params: MutableMapping[str, Any] = self._compiled.construct_params(
            values, escape_names=False, extracted_parameters=extracted
        )
        sql, order, bind = self.sql, self._order, self._bind
        if self._expanding:
            expanded = self._compiled._process_parameters_for_postcompile(params)
            sql, order, params = expanded.statement, expanded.positiontup or (), dict(expanded.parameters)
            bind = {**bind, **expanded.processors}
        return sql, [bind[name](params[name]) if name in bind else params[name] for name in order]

    def row(self, values: Sequence[Any]) -> Row:
        assert self.row_type is not None
        processors = self._results
        return self.row_type._make(
            value if processor is None or value is None else processor(value)
            for value, processor in zip(values, processors, strict=True)
        )

    def rows(self, fetched: Sequence[Sequence[Any]], names: Callable[[], Sequence[str]]) -> list[Row]:
        """The driver's rows as ``Row``s. A plain SQL statement's are named from its first result
        (``names``), once, without result processors."""
        if not fetched:
            return []
        if self.row_type is None:
            columns = names()
            self.row_type, self._results = _row_type(columns), [None] * len(columns)
        return [self.row(values) for values in fetched]


class StatementCache:
    """Compiled statements of one dialect, by SQLAlchemy's cache key (memoized on statement objects
    built once) and the parameter names given (an INSERT's columns are the keys it is given)."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self._compiled: dict[tuple[Any, ...], Compiled] = {}

    @classmethod
    def of(cls, dialect: Dialect) -> StatementCache:
        """The cache every database of this kind of dialect in this process shares: a process that opens
        several databases (a CLI command beside the app; the tests, one per test) compiles each
        statement once. What compiling depends on is the key: the dialect, its driver and paramstyle."""
        key = (dialect.name, dialect.driver, dialect.paramstyle)
        cache = _SHARED.get(key)
        if cache is None:
            cache = _SHARED[key] = cls(dialect)
        return cache

    def get(self, statement: ClauseElement, keys: tuple[str, ...], many: bool) -> tuple[Compiled, Any]:
        """The compiled form, and this statement's own literal values (None for a plain SQL string)."""
        cache_key = statement._generate_cache_key()
        if cache_key is None:  # a construct SQLAlchemy does not cache: compile every time
            return self._compile(statement, None, keys, many), None
        key = (cache_key.key, keys, many)
        compiled = self._compiled.get(key)
        if compiled is None:
            if len(self._compiled) >= CACHE_SIZE:
                self._compiled.clear()
            compiled = self._compiled[key] = self._compile(statement, cache_key, keys, many)
        return compiled, cache_key.bindparams

    def _compile(
        self, statement: ClauseElement, cache_key: CacheKey | None, keys: tuple[str, ...], many: bool
    ) -> Compiled:
        # As SQLAlchemy compiles for its own cache: the cache key lets a later statement of the same
        # shape bring its own literal values (``extracted_parameters``).
        compiled = self.dialect.statement_compiler(
            self.dialect, statement, cache_key=cache_key, column_keys=list(keys), for_executemany=many
        )
        return Compiled(compiled, self.dialect)


_SHARED: dict[tuple[str, str, str], StatementCache] = {}
