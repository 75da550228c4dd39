# syntax=docker/dockerfile:1
# Gatehouse in production: the JavaScript compiled from the sources (npm run build), on Node 24 LTS, with production
# dependencies only (no TypeScript loader, no embedded PostgreSQL), run as the unprivileged `node` user.

FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Install scripts are not needed (the compiler and the argon2 binding ship prebuilt binaries) and are not run.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY views ./views
COPY public ./public
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
COPY package.json ./
# dist/ holds src/ and views/ compiled, and the public/ and sql/ folders they read.
COPY --from=build /app/dist ./dist
USER node
EXPOSE 8080
# node is PID 1 and receives SIGTERM itself. The release command and the operator command run the same build:
# `node dist/src/server.js --migrate-only`, `node dist/src/cli/tenant-create.js …`.
CMD ["node", "dist/src/server.js"]
