# ClusterDesk: one image for the web server (`clusterdesk serve`) and the worker
# (`clusterdesk worker`). Build: docker build -t clusterdesk .  (add --build-arg EXTRAS=s3
# for media on an S3-compatible store). See docs/deployment.md.
FROM python:3.11-slim-bookworm

# WeasyPrint (PDF reports) needs Pango; pg_dump/pg_restore serve `clusterdesk backup`.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core postgresql-client \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    CLUSTERDESK_HOME=/srv/clusterdesk \
    CLUSTERDESK_MEDIA_ROOT=/srv/media

WORKDIR /build
# The pinned, hashed runtime dependencies first: this layer survives code changes.
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY pyproject.toml README.md ./
COPY src ./src
ARG EXTRAS=""
RUN pip install --no-cache-dir --no-deps . \
    && if [ -n "$EXTRAS" ]; then pip install --no-cache-dir ".[$EXTRAS]"; fi \
    && rm -rf /build

RUN useradd --system --home-dir /srv/clusterdesk clusterdesk \
    && mkdir -p /srv/clusterdesk/var /srv/media \
    && chown -R clusterdesk /srv/clusterdesk /srv/media
USER clusterdesk
WORKDIR /srv/clusterdesk
VOLUME ["/srv/media"]
EXPOSE 8000
# Static files are collected on the first start (then kept while the container lives).
CMD ["clusterdesk", "serve", "--bind", "0.0.0.0:8000"]
