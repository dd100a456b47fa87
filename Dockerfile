# syntax=docker/dockerfile:1
#
# The iac-runner image: the `iac-runner` CLI of @iac/server, its runtime dependencies, git and ssh.
#
#   docker build -t iac-runner:dev \
#     --build-arg VERSION=1.0.0 --build-arg REVISION="$(git rev-parse HEAD)" \
#     --build-arg CREATED="$(date -u +%Y-%m-%dT%H:%M:%SZ)" .
#
# On Dokploy it runs from deploy/compose.yaml, with a vault-agent sidecar rendering its secrets file
# (README.md, "Running it for real").

# Every package declares engines.node ">=22.12": that is the floor. The image uses an LTS line; 24 is a maintained
# LTS line (26 became the active one in October 2026): try another with --build-arg NODE_VERSION=26.
ARG NODE_VERSION=24

# ---------------------------------------------------------------------------------------------------------------------
# Manifests only, so the two installs below stay cached until a dependency changes.
FROM node:${NODE_VERSION}-bookworm-slim AS manifests
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/sdk/package.json packages/sdk/
COPY packages/sync/package.json packages/sync/
COPY packages/server/package.json packages/server/

# ---------------------------------------------------------------------------------------------------------------------
# Build: every workspace, with the dev tools (tsup, turbo, TypeScript). No install scripts: compiling TypeScript needs
# no native module (esbuild and rollup load their platform binaries from optional dependencies without them).
FROM manifests AS build
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.base.json turbo.json tsup.shared.ts ./
COPY packages/ packages/
RUN npm run build

# ---------------------------------------------------------------------------------------------------------------------
# Production dependencies of @iac/server only (with those of @iac/sdk and @iac/sync, which it links as workspaces):
# no dev tools, no root devDependencies. better-sqlite3 is a native module: it is compiled here, against this image's
# Node.js, so the runtime image needs no compiler. build_from_source names the one package that must not download a
# prebuilt binary; nodedir points node-gyp at the headers the node image ships instead of downloading them.
FROM manifests AS production
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
RUN npm_config_build_from_source=better-sqlite3 npm_config_nodedir=/usr/local \
    npm ci --omit=dev --workspace=@iac/server --no-audit --no-fund \
  && cd node_modules/better-sqlite3 \
  && rm -rf deps src build/deps build/Release/obj build/Release/obj.target build/Release/.deps \
    build/Release/sqlite3.a build/Release/test_extension.node
COPY --from=build /app/packages/sdk/dist packages/sdk/dist
COPY --from=build /app/packages/sync/dist packages/sync/dist
COPY --from=build /app/packages/server/dist packages/server/dist
# Fail here rather than at the first deploy when the tree is incomplete or the native module does not load.
RUN chmod 0755 packages/server/dist/cli.js \
  && node packages/server/dist/cli.js --version \
  && node -e "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()"

# ---------------------------------------------------------------------------------------------------------------------
# Runtime: Node.js, git, ssh and the production tree. No compiler, no npm cache, no sources.
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ARG NODE_VERSION
ARG VERSION=0.0.0
ARG REVISION=unknown
ARG CREATED=""
LABEL org.opencontainers.image.title="iac-runner" \
  org.opencontainers.image.description="GitOps deploys to Dokploy: verified webhooks, per-service config hashes, only what changed is redeployed." \
  org.opencontainers.image.url="https://github.com/iac-runner/iac-runner" \
  org.opencontainers.image.source="https://github.com/iac-runner/iac-runner" \
  org.opencontainers.image.documentation="https://github.com/iac-runner/iac-runner#running-it-for-real" \
  org.opencontainers.image.licenses="MIT" \
  org.opencontainers.image.version="${VERSION}" \
  org.opencontainers.image.revision="${REVISION}" \
  org.opencontainers.image.created="${CREATED}" \
  org.opencontainers.image.base.name="docker.io/library/node:${NODE_VERSION}-bookworm-slim"

# git reads the infrastructure repository over https (ca-certificates) or ssh (openssh-client). Nothing else: no op
# CLI (secrets come from Vault), no unzip, no curl (the health check is the CLI's own).
# tini runs as PID 1: it forwards SIGTERM/SIGINT to Node.js, which then shuts down gracefully, and it reaps the
# processes git leaves behind when a fetch is killed on its timeout (ssh, git-remote-https), which Node.js as PID 1
# would not. With tini in the image, `docker run --init` or compose `init: true` are not needed.
RUN apt-get update \
  && apt-get install -y --no-install-recommends ca-certificates git openssh-client tini \
  && rm -rf /var/lib/apt/lists/*

ENV NODE_ENV=production \
  IAC_DATA_DIR=/data \
  PORT=8080

WORKDIR /app
COPY --from=production /app /app
COPY LICENSE /app/LICENSE
RUN ln -s /app/packages/server/dist/cli.js /usr/local/bin/iac-runner \
  && mkdir -p /data \
  && chown node:node /data
# Declared after the chown: a new volume starts with the image's content and ownership, so the node user can write
# the git mirror and the SQLite job store there.
VOLUME ["/data"]

# The node image's unprivileged user (uid 1000). The code in /app stays owned by root, so it cannot be modified.
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 CMD ["iac-runner", "healthcheck"]
ENTRYPOINT ["/usr/bin/tini", "--", "iac-runner"]
CMD ["serve"]
