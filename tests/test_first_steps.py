"""What a newcomer's `make run` does: the right address, and a README that says so.

That the demo data loads quietly once and a second start skips it is tested against
one load in ``tests/test_demo_data.py``, and with the real commands against SQLite in
``tests/test_foundation.py::test_the_embedded_default_migrates_and_loads_the_demo_data``.
"""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def _make_run_dry(*arguments, **environment):
    result = subprocess.run(
        ["make", "-n", "run", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", **environment},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_site_url_follows_the_port_make_run_serves_on():
    commands = _make_run_dry("PORT=8123").splitlines()
    served = [line for line in commands if "manage.py runserver" in line]
    assert served and served[-1].endswith("runserver 127.0.0.1:8123")
    for name in ["migrate", "load_demo_data", "runserver"]:
        line = next(line for line in commands if f"manage.py {name}" in line)
        assert 'SITE_URL="http://127.0.0.1:8123"' in line, line
    # A SITE_URL of one's own wins.
    own = _make_run_dry(SITE_URL="https://portal.example.org")
    assert 'SITE_URL="https://portal.example.org"' in own
    # A second start skips migrations when there are none to apply.
    assert "migrate --check" in _make_run_dry()


def test_readme_names_port_host_site_url_and_the_second_factor_command():
    first_steps = README.split("## Production with compose")[0]
    for needle in ["`HOST`", "`PORT`", "`SITE_URL`", "make run PORT=", "demo_mfa_code"]:
        assert needle in first_steps, needle
