# The bot's image: `docker compose up` (compose.yaml) or `docker build -t soins-etranger-bot .`
# Dependencies come pinned from requirements.lock; the bot itself from its wheel, which
# carries config/, the console's templates and styles (no checkout needed at run time).

FROM python:3.11-slim-bookworm AS wheel
WORKDIR /src
COPY requirements.lock ./
RUN pip install --no-cache-dir --constraint requirements.lock hatchling
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY states ./states
COPY config ./config
RUN pip wheel --no-cache-dir --no-deps --no-build-isolation --wheel-dir /wheels .

FROM python:3.11-slim-bookworm
# Tesseract and its language data read receipts (OCR); DejaVu draws the PDF summary.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        tesseract-ocr tesseract-ocr-eng tesseract-ocr-fra tesseract-ocr-spa tesseract-ocr-deu \
        tesseract-ocr-ita tesseract-ocr-por tesseract-ocr-pol tesseract-ocr-tha \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --create-home --home-dir /home/bot --uid 10001 bot \
    && mkdir -p /data && chown bot:bot /data
COPY requirements.lock /tmp/requirements.lock
COPY --from=wheel /wheels /tmp/wheels
RUN pip install --no-cache-dir --constraint /tmp/requirements.lock /tmp/wheels/*.whl \
    && rm -rf /tmp/wheels /tmp/requirements.lock

USER bot
WORKDIR /data
ENV PYTHONUNBUFFERED=1 \
    HOST=0.0.0.0 \
    PORT=8080 \
    LOG_FORMAT=json \
    DATABASE_PATH=/data/soins_etranger.sqlite3
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', '8080') + '/healthz', timeout=4)"]
CMD ["soins-etranger-bot"]
