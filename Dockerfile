# syntax=docker/dockerfile:1
# Gatehouse in production: the sources bundled into JavaScript (npm run build, esbuild), on Node 24 LTS, with production
# dependencies only (no TypeScript loader, no embedded PostgreSQL), run as the unprivileged `node` user.

FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Install scripts are not needed (esbuild and the argon2 binding ship prebuilt binaries) and are not run.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
COPY views ./views
COPY sql ./sql
RUN npm run build

FROM node:24-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force

FROM node:24-slim
ENV NODE_ENV=production \
    PORT=8080
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
# The bundle finds public/, sql/ and assets/ (the credentials sheet's fonts) beside package.json (src/platform/project-root.ts).
COPY package.json ./
COPY public ./public
COPY assets ./assets
COPY sql ./sql
COPY --from=build /app/dist ./dist
USER node
EXPOSE 8080
# node is PID 1 and receives SIGTERM itself. The release command and the operator command run the same build:
# `node dist/server.js --migrate-only`, `node dist/tenant-create.js …`.
CMD ["node", "dist/server.js"]
