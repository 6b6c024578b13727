# BlazorOs container image.
#
#   docker build -t blazoros .
#   docker run -d -p 8080:8080 -v blazoros-data:/data -e BLAZOROS_OPERATOR_PASSWORD=... blazoros
#
# Stages: front-end assets (Node) -> publish (.NET SDK) -> runtime (ASP.NET Core, non-root).
# Everything the app writes (SQLite database, data-protection keys, ...) goes to /data, so the container
# can run with a read-only root file system (--read-only --tmpfs /tmp).

# ---- 1. Front-end bundle: wwwroot-assets/ -> src/BlazorOs.Web/wwwroot/dist --------------------------------
FROM node:20-bookworm-slim AS assets
WORKDIR /repo/wwwroot-assets
COPY wwwroot-assets/package.json wwwroot-assets/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY wwwroot-assets/ ./
# build.mjs writes to ../src/BlazorOs.Web/wwwroot/dist, i.e. /repo/src/BlazorOs.Web/wwwroot/dist.
RUN npm test && npm run build

# ---- 2. Publish the web app ----------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /repo
# Restore first, from the files that decide it, so source edits reuse the restored layer.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/BlazorOs.Core/BlazorOs.Core.csproj src/BlazorOs.Core/
COPY src/BlazorOs.Web/BlazorOs.Web.csproj src/BlazorOs.Web/
# Restore and publish for this stage's architecture only (framework-dependent): a portable publish carries
# native SQLite libraries for ~20 platforms (+31 MB). The stage runs on the target platform, so uname -m is
# the image's architecture (also under `docker buildx build --platform linux/arm64`).
RUN case "$(uname -m)" in aarch64|arm64) echo linux-arm64 ;; armv7l|armv8l) echo linux-arm ;; *) echo linux-x64 ;; esac > /tmp/rid \
 && dotnet restore src/BlazorOs.Web/BlazorOs.Web.csproj -r "$(cat /tmp/rid)"
COPY .editorconfig ./
COPY src/ src/
COPY --from=assets /repo/src/BlazorOs.Web/wwwroot/dist/ src/BlazorOs.Web/wwwroot/dist/
# SkipAssetBuild: the bundle comes from the assets stage; this image has no Node. No build servers: nothing
# is left running (or as a socket in /tmp) when the layer is committed.
RUN dotnet publish src/BlazorOs.Web/BlazorOs.Web.csproj -c Release -o /app --no-restore --disable-build-servers \
        -r "$(cat /tmp/rid)" --self-contained false -p:SkipAssetBuild=true -p:UseAppHost=false \
 && test -f /app/wwwroot/dist/app.js

# ---- 3. Runtime ---------------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final
WORKDIR /app
# The app binds to BLAZOROS_URLS; clearing the base image's ASPNETCORE_HTTP_PORTS=8080 avoids Kestrel's
# "Overriding HTTP_PORTS" warning at every start.
ENV BLAZOROS_DATA=/data \
    BLAZOROS_URLS=http://+:8080 \
    ASPNETCORE_HTTP_PORTS=
# The base image's non-root user "app" (uid/gid 1654 = $APP_UID) owns the data folder. The folder is created
# before VOLUME so a new named volume starts with this owner.
RUN mkdir -p /data && chown "$APP_UID:$APP_UID" /data && chmod 0750 /data
COPY --from=build /app ./
USER $APP_UID
VOLUME /data
EXPOSE 8080
# Health check: GET /health must answer 200. The official aspnet image ships neither curl nor wget, so this
# uses curl or wget when the image has one and otherwise a plain HTTP request through bash's /dev/tcp;
# nothing is installed for it. It probes port 8080: change it here if BLAZOROS_URLS uses another port.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD if command -v curl >/dev/null 2>&1; then curl -fsS -m 4 -o /dev/null http://127.0.0.1:8080/health; \
        elif command -v wget >/dev/null 2>&1; then wget -q -T 4 -O /dev/null http://127.0.0.1:8080/health; \
        else bash -c 'exec 3<>/dev/tcp/127.0.0.1/8080 && printf "GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n" >&3 && head -n 1 <&3 | grep -q " 200 "'; fi
ENTRYPOINT ["dotnet", "BlazorOs.Web.dll"]
