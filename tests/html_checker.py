"""The Nu Html Checker (npm ``vnu-jar``, run by Java) over many pages in one JVM start.

``npm ci`` (``make install-dev``) puts the checker at ``node_modules/vnu-jar``; Java comes
from Debian (``default-jre-headless``). Starting the JVM costs seconds, so a caller
collects its pages and checks them all at once.
"""

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings

# A run of a few seconds: the JIT's quick tier only (the optimising one cost more than it
# saved) and one garbage collector thread; 156 pages took 2.7 CPU-s instead of 5.6. The
# checker's schemas recurse deeply, and C1's frames are larger: a stack of 8 MB per thread.
JVM_OPTIONS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss8m"]
VNU_JAR = Path(settings.BASE_DIR, "node_modules", "vnu-jar", "build", "dist", "vnu.jar")


def missing_checker() -> str | None:
    """Why the checker cannot run here, or None when it can."""
    if shutil.which(os.environ.get("JAVA", "java")) is None:
        return "Java not found (install Debian's default-jre-headless)"
    if not VNU_JAR.exists():
        return f"{VNU_JAR} not found (run `npm ci --no-audit --no-fund --ignore-scripts`)"
    return None


def html_errors(pages: dict[str, str]) -> list[str]:
    """Every error the checker finds in ``pages`` (name -> HTML): name, line, message, extract."""
    if not pages:
        return []
    with tempfile.TemporaryDirectory(prefix="vnu-") as directory:
        names = {}
        for number, (name, html) in enumerate(pages.items()):
            path = Path(directory, f"page-{number:04d}.html")
            path.write_text(html, encoding="utf-8")
            names[path.name] = name
        command = [
            os.environ.get("JAVA", "java"),
            *JVM_OPTIONS,
            "-jar",
            str(VNU_JAR),
            "--format",
            "json",
            "--errors-only",
            *sorted(str(Path(directory, file)) for file in names),
        ]
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    try:
        messages = json.loads(result.stderr).get("messages", [])
    except json.JSONDecodeError:
        messages = []
    if result.returncode != 0 and not messages:  # it broke down: never read that as "valid"
        return [f"the Nu Html Checker failed ({result.returncode}): {result.stderr[-2000:]}"]
    return [describe(message, names) for message in messages]


def describe(message: dict, names: dict[str, str]) -> str:
    file_name = Path(unquote(urlsplit(message.get("url", "")).path)).name
    where = names.get(file_name, file_name or "?")
    line = message.get("lastLine", "?")
    extract = (message.get("extract") or "").replace("\n", " ").strip()
    return f"{where}, line {line}: {message.get('message')}\n    {extract}"
