# syntax=docker/dockerfile:1
# Gatehouse runs its TypeScript directly through tsx (a production dependency): there is no build output,
# so the image is the sources plus production node_modules, run as the unprivileged `node` user.

FROM node:20-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
# Install scripts are not needed (esbuild and the argon2 binding ship prebuilt binaries) and are not run.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force

FROM node:20-slim
ENV NODE_ENV=production \
    PORT=8080
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
# tsconfig.json is read at run time: tsx takes the JSX settings (hono/jsx) from it.
COPY package.json tsconfig.json ./
COPY src ./src
COPY views ./views
COPY public ./public
COPY sql ./sql
USER node
EXPOSE 8080
# What `npm start` runs, without npm in between: node is PID 1 and receives SIGTERM itself.
CMD ["node", "--import", "tsx", "src/server.ts"]
