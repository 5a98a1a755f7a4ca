"""Writing many rows fast: PostgreSQL's COPY through psycopg, with ids reserved up front."""

from django.db import connection
from django.utils import timezone


def _default_for(field, now):
    """What a column gets when the seed does not name it: what ``Model()`` would get."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        value = now
    elif field.has_default():
        value = field.get_default()
    elif field.null:
        return None
    elif field.empty_strings_allowed:
        value = ""
    else:
        model = field.model._meta.label
        raise ValueError(f"The bench seed must give {model}.{field.name} a value.")
    return field.get_db_prep_save(value, connection)


class Table:
    """COPY rows into one model's table.

    ``columns`` are the attribute names each row gives, in order; every other concrete
    field gets its default, so a field added later with a default needs no change here.
    Rows are tuples of values PostgreSQL accepts as they are (str, int, bool, date, aware
    datetime, None): no per-value conversion, which is what makes a million rows cheap.
    """

    def __init__(self, model, columns: list[str]):
        fields = {field.attname: field for field in model._meta.concrete_fields}
        unknown = set(columns) - set(fields)
        if unknown:
            raise ValueError(f"{model._meta.label} has no fields {sorted(unknown)}")
        now = timezone.now()
        rest = [
            field for name, field in fields.items() if name not in columns and not field.primary_key
        ]
        self.table = model._meta.db_table
        self.column_names = [fields[name].column for name in columns] + [f.column for f in rest]
        self.tail = tuple(_default_for(field, now) for field in rest)

    def copy(self, rows) -> int:
        quoted = ", ".join(connection.ops.quote_name(name) for name in self.column_names)
        statement = f"COPY {connection.ops.quote_name(self.table)} ({quoted}) FROM STDIN"
        count = 0
        with connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row((*row, *self.tail))
                count += 1
        return count


def reserve_ids(model, count: int) -> int:
    """Take ``count`` consecutive ids from the table's sequence; return the first.

    The rows are then written with these ids, so other rows can point at them
    without reading anything back.
    """
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, model._meta.pk.column])
        (sequence,) = cursor.fetchone()
        cursor.execute("SELECT nextval(%s)", [sequence])
        (first,) = cursor.fetchone()
        if count > 1:
            cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
    return first
