"""ORM queries compiled to SQL once per database connection, then run with new values.

The busiest pages run the same few queries on every request, with different
ids. On these machines most of such a query's cost is Django building and
compiling it (about half a millisecond), not the database answering it (a
twentieth of that). ``PreparedQuery`` builds the QuerySet once, with stand-in
values for its parameters, keeps the compiled SQL and its compiler, and runs
that SQL again with each call's values through the same compiler, so rows
become model instances (``select_related`` included) or tuples exactly as
the QuerySet would make them. The QuerySet stays the one definition of the
query: nothing here writes SQL by hand.

Only ``int`` and ``str`` parameters compared for equality (``pk=``,
``user=``, ``language=``...) can be stand-ins; a query that transforms one
(``__contains``, a date) is refused when it is first compiled. An integer
no 64-bit column can hold (an id typed into a URL, say) matches nothing, as
Django's own lookups have it: the query is not sent.
"""

from __future__ import annotations

import inspect
import threading
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model, QuerySet
from django.db.models.constants import OnConflict
from django.db.models.sql import InsertQuery
from django.db.models.sql.compiler import SQLCompiler, SQLInsertCompiler

# A number no id, count or stored text of this project takes, and that every
# integer column but the smallest can hold: Django refuses to compare a
# column with a value outside its range (Django's own User has 32-bit ids).
STAND_IN_BASE = -(2**31)
# What the databases' largest integer columns hold; a value outside can equal
# no stored one (and SQLite refuses to take it as a parameter at all).
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


@dataclass(frozen=True)
class _Slot:
    """Where a call's value goes among the SQL parameters, and its type there."""

    name: str
    convert: Callable[[Any], Any]


@dataclass(frozen=True)
class _Compiled:
    queryset: QuerySet[Any, Any]
    compiler: SQLCompiler
    sql: str
    params: tuple[Any, ...]
    slots: tuple[_Slot | None, ...]
    converters: dict[int, Any]


class PreparedQuery[RowT]:
    """``build``'s QuerySet, compiled once per connection; calling it returns its rows.

    ``build`` takes keyword parameters and returns a QuerySet filtered by them;
    call the prepared query with the same keywords::

        OWN = PreparedQuery(lambda pk: Assessment.objects.filter(pk=pk))
        OWN(pk=3)  # [<Assessment: ...>], as list(Assessment.objects.filter(pk=3))
    """

    def __init__(self, build: Callable[..., QuerySet[Any, RowT]]) -> None:
        self._build = build
        self._names = tuple(inspect.signature(build).parameters)
        self._compiled: weakref.WeakKeyDictionary[BaseDatabaseWrapper, _Compiled] = (
            weakref.WeakKeyDictionary()
        )
        self._lock = threading.Lock()
        self._alias: str | None = None

    def __call__(self, **values: Any) -> list[RowT]:
        if values.keys() != set(self._names):
            raise TypeError(f"expected the values {self._names}, got {tuple(values)}")
        compiled = self._for_connection()
        params = tuple(
            fixed if slot is None else slot.convert(values[slot.name])
            for slot, fixed in zip(compiled.slots, compiled.params, strict=True)
        )
        if any(type(param) is int and not INT64_MIN <= param <= INT64_MAX for param in params):
            return []
        return list(_bound(compiled, params))

    def first(self, **values: Any) -> RowT | None:
        rows = self(**values)
        return rows[0] if rows else None

    def _for_connection(self) -> _Compiled:
        # Connections are per thread, and a compiler keeps the one it was made
        # for: each thread's connection gets its own.
        if self._alias is None:
            self._alias = self._build(**self._stand_ins()).db
        connection = connections[self._alias]
        compiled = self._compiled.get(connection)
        if compiled is None:
            compiled = self._compile(self._build(**self._stand_ins()), connection)
            with self._lock:
                self._compiled[connection] = compiled
        return compiled

    def _stand_ins(self) -> dict[str, int]:
        return {name: STAND_IN_BASE + index for index, name in enumerate(self._names)}

    def _compile(self, queryset: QuerySet[Any, Any], connection: BaseDatabaseWrapper) -> _Compiled:
        compiler = queryset.query.get_compiler(connection=connection)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet as error:
            raise ImproperlyConfigured(
                f"{self._build!r}: a stand-in value is outside a column's range"
            ) from error
        by_value: dict[Any, _Slot] = {}
        for name, stand_in in self._stand_ins().items():
            by_value[stand_in] = _Slot(name, int)
            by_value[str(stand_in)] = _Slot(name, str)
        slots = tuple(
            by_value.get(param) if isinstance(param, (int, str)) else None for param in params
        )
        found = {slot.name for slot in slots if slot is not None}
        missing = [name for name in self._names if name not in found]
        written = [str(stand_in) for stand_in in self._stand_ins().values() if str(stand_in) in sql]
        if missing or written:
            raise ImproperlyConfigured(
                f"{self._build!r}: the values {missing or written} do not reach the SQL "
                "as parameters; only plain int and str comparisons can be prepared"
            )
        # Which columns need converting, and how, depends on the columns alone:
        # worked out here once instead of on every run (most of a run's cost
        # for a query joining several tables).
        columns = [column[0] for column in compiler.select[0 : compiler.col_count]]
        converters = compiler.get_converters(columns)
        return _Compiled(queryset, compiler, sql, tuple(params), slots, converters)


class PreparedUpsert[ModelT: Model]:
    """``bulk_create(objs, update_conflicts=True, ...)``, compiled once per connection.

    Django compiles the INSERT ... ON CONFLICT ... DO UPDATE statement anew for
    every call (and every number of rows). This compiles the one-row statement
    once and sends the rows with ``executemany``, each value prepared by that
    same compiler as ``bulk_create`` prepares it (``pre_save``, then the
    field's ``get_db_prep_save``). The objects get no ids.
    """

    def __init__(
        self,
        model: type[ModelT],
        *,
        unique_fields: Sequence[str],
        update_fields: Sequence[str],
    ) -> None:
        self._model = model
        self._unique_fields = tuple(unique_fields)
        self._update_fields = tuple(update_fields)
        self._compiled: weakref.WeakKeyDictionary[
            BaseDatabaseWrapper, tuple[SQLInsertCompiler, str, list[Field[Any, Any]]]
        ] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def __call__(self, objs: Sequence[ModelT]) -> None:
        if not objs:
            return
        connection = connections[router.db_for_write(self._model)]
        compiled = self._compiled.get(connection)
        if compiled is None:
            compiled = self._compile(connection, objs[0])
            with self._lock:
                self._compiled[connection] = compiled
        compiler, sql, fields = compiled
        rows = [
            [compiler.prepare_value(field, compiler.pre_save_val(field, obj)) for field in fields]
            for obj in objs
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)

    def _compile(
        self, connection: BaseDatabaseWrapper, example: ModelT
    ) -> tuple[SQLInsertCompiler, str, list[Field[Any, Any]]]:
        options = self._model._meta
        # As bulk_create's: every stored column but the generated id.
        fields = [
            field
            for field in options.concrete_fields
            if not field.generated and field is not options.pk
        ]
        query = InsertQuery(
            self._model,
            on_conflict=OnConflict.UPDATE,
            update_fields=[options.get_field(name) for name in self._update_fields],
            unique_fields=[options.get_field(name) for name in self._unique_fields],
        )
        query.insert_values(fields, [example])
        compiler = query.get_compiler(connection=connection)
        statements = compiler.as_sql()
        if len(statements) != 1:
            raise ImproperlyConfigured(f"{self._model.__name__}: one INSERT statement expected")
        return compiler, statements[0][0], fields


def _bound(compiled: _Compiled, params: tuple[Any, ...]) -> QuerySet[Any, Any]:
    """A copy of the prepared QuerySet whose compiler sends ``params`` with the kept SQL."""
    compiler = _shallow_copy(compiled.compiler)
    sql = compiled.sql
    compiler.as_sql = lambda *args, **kwargs: (sql, params)  # type: ignore[method-assign,assignment]
    converters = compiled.converters
    compiler.get_converters = lambda expressions: converters  # type: ignore[method-assign]
    query = _shallow_copy(compiled.queryset.query)
    query.get_compiler = lambda *args, **kwargs: compiler  # type: ignore[method-assign]
    queryset = _shallow_copy(compiled.queryset)
    queryset._query = query  # type: ignore[attr-defined]
    queryset._result_cache = None  # type: ignore[attr-defined]
    queryset._prefetch_done = False  # type: ignore[attr-defined]
    return queryset


def _shallow_copy[T](original: T) -> T:
    # Not copy.copy: a QuerySet pickles (and so copies) by running itself.
    duplicate = object.__new__(type(original))
    duplicate.__dict__ = original.__dict__.copy()
    return duplicate
