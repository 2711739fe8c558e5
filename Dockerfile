# syntax=docker/dockerfile:1
# baseten-metrics-bridge: build with the dev dependencies, run with the production ones only, as a non-root
# user. docker build -t baseten-metrics-bridge:0.1.0 .
ARG NODE_IMAGE=node:20.20-bookworm-slim

# 1. Compile the TypeScript (needs the dev dependencies: typescript and @types).
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are copied.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# 2. Production dependencies only.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# 3. The runtime image: node_modules without dev dependencies, dist/, bin/, package.json (for the version).
FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY package.json ./
COPY bin ./bin
# The rate budget's state (--storage.path); a volume here keeps it across restarts.
RUN mkdir -p /app/data && chown 1000:1000 /app/data
# The image's `node` user (uid 1000): never root.
USER 1000:1000
EXPOSE 19340
# /-/healthy answers 200 while the process runs (readiness, which needs fresh Baseten data, is /-/ready).
# The port must match --web.listen-address.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:19340/-/healthy').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "bin/baseten-bridge.js"]
CMD ["--web.listen-address=:19340", "--storage.path=/app/data"]
