# One image for every bot process and the index CLI, with the PostgreSQL driver (compose.yaml).
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY index ./index
COPY bot ./bot
COPY content ./content
RUN pip install --no-cache-dir -e '.[postgres]'
ENV VERBATIM_CONTENT='["/app/content"]'
CMD ["python", "-m", "bot"]
