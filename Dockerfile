# syntax=docker/dockerfile:1
# One image per app: docker build --build-arg APP=order-service .
# `turbo prune` keeps only the app and the libs it depends on, so each image holds what its app needs.
# deploy/image/rehearse.sh runs these same steps outside Docker (there is no Docker engine in CI).
ARG NODE_IMAGE=node:20.19-bookworm-slim

FROM ${NODE_IMAGE} AS pruner
ARG APP
WORKDIR /repo
COPY . .
RUN npx --yes turbo@2.11.11 prune @fanout/${APP} --docker

FROM ${NODE_IMAGE} AS builder
ARG APP
WORKDIR /repo
COPY --from=pruner /repo/out/json/ .
RUN npm install --no-audit --no-fund
COPY --from=pruner /repo/out/full/ .
RUN npx turbo run build --filter=@fanout/${APP} && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runner
ARG APP
ENV NODE_ENV=production APP=${APP}
WORKDIR /app
COPY --from=builder --chown=node:node /repo .
USER node
CMD ["sh", "-c", "exec node --enable-source-maps apps/${APP}/dist/main.js"]
