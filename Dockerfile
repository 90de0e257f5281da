# OPF image: gunicorn web, Celery worker and beat all run from this image.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint renders PDFs with Pango; fonts for readable documents.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 opf
WORKDIR /app
COPY pyproject.toml README.md ./
COPY opf ./opf
COPY appraisals ./appraisals
COPY actions ./actions
COPY deployment ./deployment
COPY lessons ./lessons
RUN pip install .
COPY . .
RUN SECRET_KEY=build-only-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz \
    STATIC_ROOT=/app/staticfiles python manage.py collectstatic --noinput \
 && mkdir -p /app/var/media /app/var/celery && chown -R opf:opf /app/var

USER opf
ENV STATIC_ROOT=/app/staticfiles OPF_VAR_DIR=/app/var
EXPOSE 8000
# Workers, threads and the garbage collector's settings: opf/gunicorn_config.py
# (WEB_CONCURRENCY, GUNICORN_THREADS, OPF_GC_THRESHOLDS from the environment).
CMD ["gunicorn", "-c", "python:opf.gunicorn_config", "opf.wsgi"]
