# Production image: the API and the built web apps in one Node 24 process.
# Build: docker build -t kansen-share .   Run with PostgreSQL: see compose.yaml.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/packages/domain/src ./packages/domain/src
COPY --from=build --chown=node:node /app/packages/server/src ./packages/server/src
COPY --from=build --chown=node:node /app/packages/web/dist ./packages/web/dist
USER node
EXPOSE 3000
# Liveness only: a database outage makes /readyz fail, which must not restart the container.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s \
  CMD node -e "fetch('http://127.0.0.1:3000/livez').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The server applies migrations at start (under an advisory lock) and stops cleanly on SIGTERM.
CMD ["node", "packages/server/src/main.ts"]
