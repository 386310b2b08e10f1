# Sub2Api gateway image: build the web app with Node and the gateway with the .NET SDK, run on the ASP.NET Core
# runtime.
#   docker build -t sub2api .
#   docker run -p 8080:8080 -v sub2api-data:/app/data sub2api
# Multi-node: see deploy/docker-compose.yml and the README's "Multi-node" section.

# The web app (web/, Vue + Vite) is built with Node here, so the .NET stage needs no Node.
FROM node:20-bookworm-slim AS web
WORKDIR /web
# Packages first (cached while only the app's sources change).
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY web/ ./
RUN npm run build

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first (cached while only code changes).
# .editorconfig configures the analyzers (warnings are errors): without it generated migrations fail the build.
COPY .editorconfig global.json Directory.Build.props Directory.Packages.props ./
COPY src/Sub2Api/Sub2Api.csproj src/Sub2Api/
RUN dotnet restore src/Sub2Api/Sub2Api.csproj
COPY src/ src/
# The built app where the project looks for it (web/dist); SkipWebBuild skips npm but still publishes web/dist
# into wwwroot/.
COPY --from=web /web/dist/ web/dist/
RUN dotnet publish src/Sub2Api/Sub2Api.csproj -c Release -o /app/publish --no-restore -p:UseAppHost=false -p:SkipWebBuild=true \
    && test -f /app/publish/wwwroot/index.html

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# curl for the container health check (GET /health).
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/publish .
# DATA_DIR holds the SQLite file (single-node mode), secrets.json when JWT_SECRET/ENCRYPTION_KEY are not given,
# and this node's usage journal (replayed after a crash) — keep it on a volume, one per node.
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 \
    DATA_DIR=/app/data
RUN mkdir -p /app/data && chown app:app /app/data
VOLUME ["/app/data"]
# The aspnet image's non-root user.
USER app
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 CMD curl -fsS http://localhost:8080/health || exit 1
ENTRYPOINT ["dotnet", "Sub2Api.dll"]
