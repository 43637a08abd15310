"""The shared test kit: what every module's tests use instead of writing it again.

- `sql`: count the SQL statements of one GraphQL request (`sql_count`), compare a connection's
  first:10 and first:100 pages against its pin in `registry.SQL_PINS` (`assert_pinned`).
- `roles`: the role ladder and the role-matrix runner (`check_role`).
- `registry`: the two hand-written registries the schema guards (tests/test_schema_guards.py)
  hold every root field to: minimum role per field, pinned SQL count per root connection.
- `worker`: a real Celery worker subprocess (`start_worker`, `stop_worker`, `wait_for`); the
  `worker` fixture in tests/conftest.py is the usual way in.
Fixtures (`world`, `api`, `in_a`, `worker`, `test_database`) live in tests/conftest.py.
"""
