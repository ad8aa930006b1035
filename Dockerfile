# Qamqor web process (web chat, webhooks, admin panel, scheduler) in one image.
# Build: docker build -t qamqor .
# Run:   docker run -p 8000:8000 -v qamqor-data:/data \
#          -e QAMQOR_ENVIRONMENT=prod -e QAMQOR_SECRET_KEY=... -e QAMQOR_DATABASE_URL=postgresql+psycopg://... qamqor
FROM python:3.11-slim
# Unprivileged user; the data volume holds the SQLite database (the embedded default) and uploaded documents.
RUN useradd --create-home --uid 10001 qamqor && mkdir /data && chown qamqor /data
WORKDIR /app
COPY pyproject.toml README.md alembic.ini babel.cfg ./
COPY core core
COPY bot bot
COPY admin admin
COPY qamqor qamqor
COPY migrations migrations
COPY locales locales
# Editable install: migrations and catalogues are found beside the code (core/db/migrate.py, bot/i18n.py).
RUN pip install --no-cache-dir -e . && chown -R qamqor /app
USER qamqor
ENV QAMQOR_DATA_DIR=/data QAMQOR_HOST=0.0.0.0 QAMQOR_PORT=8000 PYTHONUNBUFFERED=1
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health')"
CMD ["sh", "-c", "qamqor db upgrade && exec qamqor serve"]
