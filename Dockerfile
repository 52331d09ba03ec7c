# RoleGate container image: Next.js standalone server + compiled start script,
# running as a non-root user on a read-only root file system. Writable paths are
# volumes: /data (embedded database and sandbox state, sandbox mode only) and /tmp.
#
#   docker build -t rolegate .                                    # builds inside the image (needs the npm registry)
#   docker build --build-arg BASE_IMAGE=node:20-slim -t rolegate .  # the default runtime base
#
# APP_SOURCE picks where /app comes from: "build" (default) compiles the app in the
# build stage; "prebuilt" copies tmp/image/context/app, which `npm run image:build`
# assembles on the host from its own `next build` (used in CI, where no base image
# can be pulled: see scripts/image/build.ts).
ARG BASE_IMAGE=node:20-slim
ARG BUILD_IMAGE=node:20-slim
ARG APP_SOURCE=build

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
ENV NEXT_TELEMETRY_DISABLED=1
# Read by next.config.ts at build time: HSTS and the server actions' allowed origin (optional).
ARG ROLEGATE_PUBLIC_URL=""
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run db:generate \
 && node --import tsx -e 'const m = await import("./scripts/build-if-needed.ts"); m.buildIfNeeded(process.cwd(), true)' \
 && node --import tsx scripts/image/assemble.ts /out/app \
 && mkdir -p /out/data

FROM scratch AS prebuilt
COPY tmp/image/context/app /out/app
COPY tmp/image/context/data /out/data

FROM ${APP_SOURCE} AS app

FROM ${BASE_IMAGE}
LABEL org.opencontainers.image.title="RoleGate" \
      org.opencontainers.image.description="Decide, apply and prove which Kubernetes workload may become which AWS IAM role" \
      org.opencontainers.image.licenses="UNLICENSED"
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    ROLEGATE_DATA_DIR=/data
WORKDIR /app
# The app's files belong to root and are read-only to the server's user.
COPY --from=app /out/app /app
COPY --from=app --chown=65532:65532 /out/data /data
USER 65532:65532
VOLUME ["/data", "/tmp"]
EXPOSE 3000
ENTRYPOINT ["node", "scripts/start.mjs"]
