import sqlite3

import pytest
from django.db import connection, connections
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper


@pytest.fixture
def concurrent_db(transactional_db, tmp_path):
    """A database that two threads can write at once, as in production: PostgreSQL as it is;
    on SQLite, the in-memory test database (table locks, no busy timeout) copied, schema only,
    to a file opened like the production one (WAL, IMMEDIATE transactions, a busy timeout),
    for this thread and every thread the test starts."""
    if connection.vendor != "sqlite":
        yield
        return
    path = tmp_path / "concurrent.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    in_memory = connections["default"]
    settings_dict = connections.settings["default"]
    on_file = {**in_memory.settings_dict, "NAME": str(path)}
    connections.settings["default"] = on_file
    connections["default"] = SQLiteWrapper(on_file, "default")
    try:
        yield
    finally:
        connections["default"].close()
        connections["default"] = in_memory
        connections.settings["default"] = settings_dict
