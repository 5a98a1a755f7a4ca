# Production image of the Projektmarktplatz: gunicorn serving Django, static files
# served by whitenoise. The same image runs the Celery worker and beat (see
# docker-compose.yml), only the command differs.

# "-bookworm" pins the Debian release: the bare "3.11-slim" tag moves with Debian.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

# A writable home of its own: gunicorn (>= 24) puts its control socket under
# $HOME/.gunicorn, and /app stays read-only for this user.
RUN groupadd --system app \
 && useradd --system --gid app --create-home --home-dir /home/app --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first, from the lock file alone (exact versions, every file checked
# against its hash): this layer stays cached until the lock changes, not on every edit.
COPY requirements/base.txt ./requirements/base.txt
RUN pip install --no-cache-dir --require-hashes -r requirements/base.txt

# The whole context (see .dockerignore: no tests, no benchmark): the packages plus
# templates/, static/ and locale/, which are read from /app at runtime. The source
# stays owned by root, so the app user cannot change its own code.
COPY . .
RUN pip install --no-cache-dir --no-deps . \
 && rm -rf build ./*.egg-info

# STATIC_ROOT is var/static (VAR_DIR defaults to /app/var), uploads go to var/media
# (compose keeps them in a volume). The key and DEBUG
# exist only for this command; they are not baked into the image. Only var/
# itself becomes writable by the app user, the collected files stay read-only.
RUN SECRET_KEY=build-only DEBUG=0 python manage.py collectstatic --noinput \
 && mkdir -p /app/var/media \
 && chown app:app /app/var /app/var/media

USER app

EXPOSE 8000

# Django answers 400 to a Host outside ALLOWED_HOSTS, so the probe sends the
# first concrete entry of ALLOWED_HOSTS as Host (localhost if there is none, or
# only "*"). /healthz is exempt from the HTTPS redirect, plain http is fine.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; host = next((h.strip().lstrip('.') for h in os.environ.get('ALLOWED_HOSTS', '').split(',') if h.strip() and '*' not in h), 'localhost'); urllib.request.urlopen(urllib.request.Request('http://127.0.0.1:8000/healthz', headers={'Host': host}), timeout=5)"]

CMD ["gunicorn", "config.wsgi:application", "--config", "python:config.gunicorn", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
