# syntax=docker/dockerfile:1
# One image for every MicroShop process; docker-compose.yml picks the process with `command:`
#   docker build -t microshop .
#   docker run --rm -e DATABASE_URL=... microshop users      # = npm run start:service -- users
# Packages are TypeScript run by tsx (no build step), so the image keeps the dev dependencies.
FROM node:20-bookworm-slim

ENV CI=true \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false \
    TURBO_TELEMETRY_DISABLED=1 \
    CHECKPOINT_DISABLE=1

WORKDIR /app
RUN chown node:node /app
USER node

# `npm ci` runs the postinstall (prisma generate), which needs the schema and scripts/, so the
# whole (dockerignored) tree goes in first; the npm cache mount keeps rebuilds fast anyway.
COPY --chown=node:node . .
RUN --mount=type=cache,target=/home/node/.npm,uid=1000,gid=1000 \
    npm ci --no-audit --no-fund

# Services listen on all interfaces inside the container network.
ENV NODE_ENV=production \
    HOST=0.0.0.0

# Which process to run: `docker run IMAGE <service>` / compose `command: [<service>]`, else the
# SERVICE build arg/env (default gateway). Services: gateway users catalog cart orders
# orders-worker payments. Runs `npm run start:service -- <service>`; use `init: true` / --init.
ARG SERVICE=gateway
ENV SERVICE=${SERVICE}
ENTRYPOINT ["/bin/sh", "-c", "exec npm run --silent start:service -- \"${1:-$SERVICE}\"", "microshop"]
CMD []
