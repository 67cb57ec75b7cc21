# syntax=docker/dockerfile:1.7
# One image per service, from a pruned workspace:
#   docker build --build-arg SERVICE=uploader -t bqx-uploader .
# SERVICE is one of: extractor, uploader, tracker-notifier.
ARG NODE_IMAGE=node:24-slim

FROM ${NODE_IMAGE} AS base
ENV PNPM_HOME=/pnpm PATH=/pnpm:$PATH TURBO_TELEMETRY_DISABLED=1
RUN corepack enable
WORKDIR /repo

# Only the service and the workspace packages it depends on.
FROM base AS pruner
ARG SERVICE
COPY . .
RUN pnpm dlx turbo@2.11.11 prune "@bq-sftp-export/${SERVICE}" --docker

# Install (dependency manifests first, for layer caching), build, then keep production
# dependencies only. Build tools are here so ssh2's native crypto binding compiles.
FROM base AS builder
ARG SERVICE
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY --from=pruner /repo/out/json/ .
RUN pnpm install --frozen-lockfile
COPY --from=pruner /repo/out/full/ .
RUN pnpm turbo run build --filter="@bq-sftp-export/${SERVICE}..." \
  && pnpm --filter "@bq-sftp-export/${SERVICE}" deploy --prod --legacy /out

FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
# A container is reached from outside its loopback (the runtime binds 127.0.0.1 by default).
ENV NODE_ENV=production PORT=8080 BIND_HOST=0.0.0.0
# V8's old-space cap in MB. Node sizes the heap from the cgroup limit on its own, but that can
# come out above the container's memory (nodejs/node#64646), so the cap is explicit: 128 for the uploader and the
# tracker-notifier, 256 for the extractor (docker-compose.yml passes it). On Cloud Run, Terraform
# sets NODE_OPTIONS per service (infra/run.tf, local.sizing, with the measured reasons).
ARG HEAP_MB=128
ENV NODE_OPTIONS=--max-old-space-size=${HEAP_MB}
WORKDIR /app
COPY --from=builder --chown=node:node /out/ ./
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Exec form: node is PID 1's only process and receives SIGTERM directly.
ENTRYPOINT ["node", "dist/main.js"]
