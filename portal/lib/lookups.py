"""Query lookups the ORM lacks (issue 16 item 4).

``InArray``: ``column IN (…)`` whose values travel as one array parameter on PostgreSQL (``column = ANY(%s)``)
instead of one placeholder each. The queue's text search narrows the applications to the organisations whose name
matches, 500 of them at province scale: as ``IN (%s, … 500 times)`` in the page's two queries (the count and the
rows) Django prepared, psycopg adapted and PostgreSQL parsed a thousand parameters, 7-9 ms of the page's CPU. The
index use is the same (``= ANY`` is what PostgreSQL turns an ``IN`` list into), and it still combines with another
index under an OR. On other databases it is Django's ``In``.
"""

from __future__ import annotations

from django.db.models.lookups import In


class InArray(In):
    """``InArray(F("column"), values)``: a filter expression, ``column IN values``."""

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        # Typed as the column: psycopg sends small integers as int2[], and PostgreSQL neither hashes an int8 = int2
        # comparison nor costs it as cheaply (the queue's page turned into a parallel scan: 15 ms to start).
        return f"{lhs} = ANY(%s::{self.lhs.output_field.db_type(connection)}[])", (*lhs_params, list(self.rhs))
