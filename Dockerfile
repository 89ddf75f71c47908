# syntax=docker/dockerfile:1
# Plinth's backend image: `yarn build:backend` in a full Node image, then
# only its output (build/backend) on a slim one. CI has no Docker engine, so
# `yarn test:deploy` lints this file and runs these steps outside Docker
# (deploy/docker/runDockerfileSteps.ts); keep every build step a plain RUN or
# COPY that it can follow.
#
#   docker build -t plinth-backend .
#   docker build --build-arg COREPACK_NPM_REGISTRY=https://npm.mirror.example/ -t plinth-backend .

FROM node:20-bookworm AS build
# Corepack fetches the Yarn release pinned in package.json, and Yarn the
# packages, from this registry; point both at a mirror where the default
# cannot be reached. YARN_NPM_REGISTRY_SERVER defaults to the same.
ARG COREPACK_NPM_REGISTRY=https://registry.npmjs.org
ARG YARN_NPM_REGISTRY_SERVER
ENV COREPACK_ENABLE_DOWNLOAD_PROMPT=0
WORKDIR /app
# The whole context, less what .dockerignore leaves out: Yarn's workspaces
# need every package.json before the install, and the build needs the rest.
COPY . .
RUN YARN_NPM_REGISTRY_SERVER="${YARN_NPM_REGISTRY_SERVER:-$COREPACK_NPM_REGISTRY}" \
    corepack yarn install --immutable
RUN YARN_NPM_REGISTRY_SERVER="${YARN_NPM_REGISTRY_SERVER:-$COREPACK_NPM_REGISTRY}" \
    corepack yarn build:backend

FROM node:20-bookworm-slim AS runtime
# tini as PID 1 forwards SIGTERM to the backend, which then stops cleanly
# (readiness 503, drain, shutdown hooks), and reaps zombies; node as PID 1
# would get no default signal handling from the kernel.
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini \
    && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
# Owned by root and read-only for the backend, which writes nothing here in
# production (Kubernetes runs it with a read-only root filesystem).
COPY --from=build /app/build/backend ./
USER node
EXPOSE 7007
# Node's fetch, as the slim image has no curl. The port follows the one
# environment override of backend.listen.port that the backend reads too.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
    CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.APP_CONFIG_backend_listen_port || 7007}/.backstage/health/v1/readiness`).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
# More config files go after these, later ones winning, e.g. one mounted at
# /etc/plinth: `docker run ... plinth-backend node packages/backend/dist/index.js
#   --config app-config.yaml --config app-config.production.yaml
#   --config /etc/plinth/app-config.yaml`.
CMD ["node", "packages/backend/dist/index.js", "--config", "app-config.yaml", "--config", "app-config.production.yaml"]
