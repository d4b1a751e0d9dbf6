"""Database helpers that are not about one domain."""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connection, connections, models, router, transaction
from django.db.models import Expression, Field, QuerySet, signals, sql
from django.db.models.base import ModelState
from django.db.models.constants import OnConflict

M = TypeVar("M", bound=models.Model)


@contextmanager
def planned_for_each_run() -> Iterator[None]:
    """Statements run inside are planned for their own parameters every time, never from a
    prepared statement (PostgreSQL; elsewhere nothing changes).

    Linli prepares a statement after five runs on a connection (`prepare_threshold` in
    `config/settings.py`), so that PostgreSQL plans a list page's joins once per connection.
    A prepared statement's plan is made for any parameters; for an aggregate over a date range
    that plan reads far more than the range needs (the rates page's twelve-month figures: 25
    ms prepared, 10 ms planned each time), so such aggregates run inside this."""
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    before = raw.prepare_threshold
    raw.prepare_threshold = None
    try:
        yield
    finally:
        raw.prepare_threshold = before


@dataclass(frozen=True)
class _InsertPlan:
    """One model's INSERT of one new row on one database, compiled by Django's compiler."""

    sql: str
    fields: tuple[Field[Any, Any], ...]
    returning: tuple[Field[Any, Any], ...]
    returning_params: tuple[Any, ...]
    converters: dict[int, tuple[list[Any], Any]]


# By (model, database alias, whether the primary key is given, whether a conflict is
# ignored); None: `insert` leaves that model to `save()`.
_PLANS: dict[tuple[type[models.Model], str, bool, bool], _InsertPlan | None] = {}


def _plan(model: type[models.Model], alias: str, pk_set: bool, ignore: bool) -> _InsertPlan | None:
    key = (model, alias, pk_set, ignore)
    if key in _PLANS:
        return _PLANS[key]
    meta = model._meta
    db = connections[alias]
    # The columns `Model._save_table` inserts.
    fields = tuple(
        f
        for f in meta.local_concrete_fields
        if not f.generated and (pk_set or f is not meta.auto_field)
    )
    # A row a conflict skipped returns nothing: like bulk_create(ignore_conflicts=True),
    # such an insert sets no primary key.
    returning = () if ignore else tuple(meta.db_returning_fields)
    plan: _InsertPlan | None = None
    if (
        db.features.can_return_columns_from_insert
        and not meta.parents
        and not meta.proxy
        and not meta.order_with_respect_to
        and not any(getattr(f, "get_placeholder", None) or f.has_db_default() for f in fields)
    ):
        # Compiled from a blank instance (plain values only, one "%s" per column), never from
        # a caller's object, whose values might be expressions compiled into the SQL.
        query = sql.InsertQuery(model, on_conflict=OnConflict.IGNORE if ignore else None)
        query.insert_values(list(fields), [model()])
        compiler = query.get_compiler(using=alias)
        compiler.returning_fields = list(returning)
        [(statement, _values)] = compiler.as_sql()
        plan = _InsertPlan(
            sql=statement,
            fields=fields,
            returning=returning,
            returning_params=tuple(compiler.returning_params),
            converters=compiler.get_converters([f.get_col(meta.db_table) for f in returning]),
        )
    _PLANS[key] = plan
    return plan


def insert(obj: M, *, ignore_conflicts: bool = False, using: str | None = None) -> M:
    """Insert `obj` as a new row, as `obj.save(force_insert=True)` (and so `create()`) does,
    with the statement compiled once per model: for the rows hot paths write on every call (a
    filing's request, its first event, its audit record: docs/architecture.md), where Django's
    compiler would otherwise build the same INSERT of dozens of columns again each time.

    The fields prepare the values as in `save()` (`pre_save`, `get_db_prep_save`: defaults,
    `auto_now_add`, JSON), and the primary key and other database-returned values are set on
    `obj`. A model whose save signals have listeners, one with a parent table or a database
    default, or a value that is an expression (`F()`, `Now()`) goes through `save()` itself.

    `ignore_conflicts=True` is `bulk_create([obj], ignore_conflicts=True)`: a row that would
    break a unique constraint is skipped, and the primary key is not set either way."""
    model = type(obj)
    alias = using or router.db_for_write(model, instance=obj)

    def fallback() -> None:  # the ORM's own way, where the compiled statement does not apply
        if ignore_conflicts:
            model._default_manager.using(alias).bulk_create([obj], ignore_conflicts=True)
        else:
            obj.save(force_insert=True, using=alias)

    if signals.pre_save.has_listeners(model) or signals.post_save.has_listeners(model):
        fallback()
        return obj
    meta = obj._meta
    # save()'s own check: a related object not saved yet is an error, not a NULL.
    obj._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]
    if obj.pk is None:
        setattr(obj, meta.pk.attname, meta.pk.get_pk_value_on_save(obj))
    plan = _plan(model, alias, obj.pk is not None, ignore_conflicts)
    values = [] if plan is None else [f.pre_save(obj, True) for f in plan.fields]
    if plan is None or any(hasattr(v, "resolve_expression") for v in values):
        fallback()
        return obj
    db = connections[alias]
    params = [
        f.get_db_prep_save(v, connection=db) for f, v in zip(plan.fields, values, strict=True)
    ]
    params.extend(plan.returning_params)
    with transaction.mark_for_rollback_on_error(using=alias), db.cursor() as cursor:
        cursor.execute(plan.sql, params)
        row = list(cursor.fetchone()) if plan.returning else []
    for position, (converters, expression) in plan.converters.items():
        for converter in converters:
            row[position] = converter(row[position], expression, db)
    for value, field in zip(row, plan.returning, strict=True):
        setattr(obj, field.attname, value)
    obj._state.adding = False
    obj._state.db = alias
    return obj


@functools.cache
def _columns(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(f.attname for f in model._meta.concrete_fields)


def from_row(model: type[M], values: dict[str, Any], *, using: str) -> M:
    """An instance of `model` loaded from `values` (column values by field attname, as a
    `Prepared` row gives them); the fields not given are deferred, as `only()` leaves them.

    It is the instance `Model.from_db` makes, without running `__init__` over every field of
    the model for the few given (a page that shows a tree of a few hundred rows spent a third
    of its time there): Django keeps a loaded field's value in the instance's `__dict__` and
    treats a field missing from it as deferred. A model with init signals goes through
    `from_db` itself."""
    columns = _columns(model)
    unknown = set(values).difference(columns)
    if unknown:
        raise ValueError(f"{model.__name__} has no column {sorted(unknown)}")
    if signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
        names = [name for name in columns if name in values]  # from_db takes this order
        return model.from_db(using, names, [values[name] for name in names])
    obj = model.__new__(model)
    state = obj._state = ModelState()
    state.adding = False
    state.db = using
    obj.__dict__.update(values)
    return obj


class Param(Expression):
    """A value a `Prepared` statement takes at each run, in place of a filter's value:
    `Household.objects.filter(public_id=Param("key", Household, "public_id"))`. The model's
    field prepares the value as the lookup would (a malformed UUID is a ValidationError, a
    word for a number a ValueError)."""

    def __init__(self, name: str, model: type[models.Model], field_name: str) -> None:
        field = model._meta.get_field(field_name)
        if not isinstance(field, Field) or not field.concrete:
            raise ValueError(f"{model.__name__}.{field_name} is not a column")
        super().__init__(output_field=field)
        self.name = name

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        return "%s", [self]  # the marker `Prepared` replaces with the run's value


@dataclass(frozen=True)
class _ReadPlan:
    sql: str
    params: tuple[Any, ...]  # constants, and a `Param` where a run's value goes
    names: tuple[str, ...]
    converters: dict[int, tuple[list[Any], Any]]


class Prepared:
    """A SELECT compiled by Django's compiler once per database and shape, and run with new
    values each time: for a read a hot path makes on every call (the household a filing
    names, a dashboard's aggregates: docs/architecture.md), where compiling the same joins and
    aggregates again costs several times what the database spends answering.

    `build(*shape)` returns a `values(...)` queryset of `model` whose varying filter values are
    `Param`s. `shape` is what changes the statement's text: hashable arguments such as the
    actor as one permission sees him (`permissions.narrowed`) or which optional filters are
    set; each shape is compiled once (at most `MAX_PLANS` per statement; past it they are all
    compiled again). `rows(*shape, **values)` runs it with one value per `Param` name and
    returns each row as a dict keyed by the `values()` names, converted as the ORM converts
    them."""

    MAX_PLANS = 2_000

    def __init__(self, model: type[models.Model], build: Callable[..., QuerySet[Any]]) -> None:
        self.model = model
        self._build = build
        self._plans: dict[tuple[str, tuple[Hashable, ...]], _ReadPlan | None] = {}

    def _plan(self, alias: str, shape: tuple[Hashable, ...]) -> _ReadPlan | None:
        """The shape's compiled statement; None for one that can match no row (an actor
        with no grant for the permission: `for_actor` gives `none()`)."""
        key = (alias, shape)
        if key in self._plans:
            return self._plans[key]
        plan: _ReadPlan | None = None
        queryset = self._build(*shape)
        if queryset.model is not self.model:
            raise ValueError("Prepared's queryset reads another model")
        query = queryset.query
        names = (*query.values_select, *query.annotation_select)
        if not query.values_select or query.extra_select:
            raise ValueError("Prepared takes a values() queryset of fields")
        compiler = query.get_compiler(using=alias)
        try:
            statement, params = compiler.as_sql()
        except EmptyResultSet:
            pass
        else:
            columns = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
            if len(columns) != len(names):
                raise ValueError("Prepared could not match the columns to the values() names")
            plan = _ReadPlan(
                sql=statement,
                params=tuple(params),
                names=names,
                converters=compiler.get_converters(columns),
            )
        if len(self._plans) >= self.MAX_PLANS:
            self._plans.clear()
        self._plans[key] = plan
        return plan

    def rows(
        self, *shape: Hashable, using: str | None = None, **values: Any
    ) -> list[dict[str, Any]]:
        alias = using or router.db_for_read(self.model)
        db = connections[alias]
        plan = self._plan(alias, shape)
        if plan is None:
            return []
        params = [
            p.output_field.get_db_prep_value(values[p.name], db, prepared=False)
            if isinstance(p, Param)
            else p
            for p in plan.params
        ]
        with db.cursor() as cursor:
            cursor.execute(plan.sql, params)
            fetched = [list(row) for row in cursor.fetchall()]
        for row in fetched:
            for position, (converters, expression) in plan.converters.items():
                for converter in converters:
                    row[position] = converter(row[position], expression, db)
        return [dict(zip(plan.names, row, strict=True)) for row in fetched]
