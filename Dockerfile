# syntax=docker/dockerfile:1
# One image per app: docker build --build-arg APP=order-service .
# `turbo prune` keeps only the app and the libs it depends on, so each image holds what its app needs.
# The steps live in deploy/image/steps.sh; deploy/image/rehearse.sh runs them outside Docker (CI has no engine).
ARG NODE_IMAGE=node:24.21-bookworm-slim

FROM ${NODE_IMAGE} AS pruner
ARG APP
WORKDIR /repo
COPY . .
RUN sh deploy/image/steps.sh prune ${APP}

FROM ${NODE_IMAGE} AS builder
ARG APP
WORKDIR /repo
COPY --from=pruner /repo/deploy/image/steps.sh /steps.sh
COPY --from=pruner /repo/out/json/ .
RUN sh /steps.sh install ${APP}
COPY --from=pruner /repo/out/full/ .
RUN sh /steps.sh build ${APP}

FROM ${NODE_IMAGE} AS runner
ARG APP
ENV NODE_ENV=production APP=${APP}
WORKDIR /app
COPY --from=builder --chown=node:node /repo .
USER node
CMD ["sh", "-c", "exec node --enable-source-maps apps/${APP}/dist/main.js"]
