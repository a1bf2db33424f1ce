# kafkalint in a container: lints the directory mounted at /src.
#
#   docker build -t kafkalint .
#   docker run --rm -v "$PWD:/src" kafkalint                 # kafkalint check .
#   docker run --rm -v "$PWD:/src" kafkalint check --format sarif:kafkalint.sarif --format text .
#
# Build stage: the wheel, from this checkout.
FROM python:3.12-slim AS build
WORKDIR /build
COPY pyproject.toml README.md ./
COPY kafkalint ./kafkalint
COPY rules ./rules
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

# Runtime stage: the wheel and its dependencies, nothing else; not root.
FROM python:3.12-slim
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels \
    && useradd --create-home --uid 10001 kafkalint
USER kafkalint
WORKDIR /src
ENTRYPOINT ["kafkalint"]
CMD ["check", "."]
