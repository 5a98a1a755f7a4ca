"""Employees for the workload tests, made in bulk without hashing a password each."""

from tests.factories import EmployeeFactory


class PersonFactory(EmployeeFactory):
    """An employee who signs in only through ``force_login`` (a "!" password is unusable)."""

    password = "!no-password"
