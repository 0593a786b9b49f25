# Open Inburgering — production image. UNTESTED: written without a Docker engine at hand (see README).
# Build:  docker build -t openinburgering .
# Run:    see compose.yaml (needs SECRET_KEY and a PostgreSQL DATABASE_URL).

FROM python:3.11-slim AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app/src \
    DJANGO_SETTINGS_MODULE=openinburgering.conf.production

# WeasyPrint needs Pango (with HarfBuzz subsetting) and some fonts for the PDF letters.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 1000 app \
    && useradd --system --uid 1000 --gid app --home-dir /app --shell /usr/sbin/nologin app

WORKDIR /app

# The locked runtime set, every package checked against its hash.
COPY requirements/base.txt requirements/base.txt
RUN pip install --require-hashes --no-deps -r requirements/base.txt

# The project itself runs from /app/src (PYTHONPATH), so BASE_DIR is /app and STATIC_ROOT is /app/var/static.
COPY pyproject.toml README.md LICENSE ./
COPY src/ src/

# collectstatic needs settings but no database: throw-away values for this one step only.
RUN SECRET_KEY=build-only-collectstatic-0123456789abcdefghijklmnopqrstuvwxyz \
    DATABASE_URL=postgres://build@localhost:5432/build \
    python -m django collectstatic --noinput \
    && mkdir -p /app/var \
    && chown -R app:app /app/var

USER app

EXPOSE 8000

# No access log on purpose: search terms travel in query strings (docs/security.md).
CMD ["gunicorn", "openinburgering.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--workers", "3", \
     "--timeout", "60", \
     "--error-logfile", "-"]
