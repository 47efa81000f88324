import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig, type Plugin } from "vite";
import { VitePWA } from "vite-plugin-pwa";

const webRoot = fileURLToPath(new URL(".", import.meta.url));
const fromRoot = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The API server (packages/server) listens here during development.
const apiTarget = process.env.API_TARGET ?? "http://127.0.0.1:3000";
const proxy = {
  "/api": { target: apiTarget, changeOrigin: false },
  "/healthz": { target: apiTarget, changeOrigin: false },
};

/**
 * In development, deep links under /my/ (the patient app) must load my/index.html,
 * not the staff app's index.html that Vite's SPA fallback would pick.
 * (In production the server does the same fallback for the built files.)
 */
function patientAppFallback(): Plugin {
  return {
    name: "kansen:patient-app-fallback",
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        const url = req.url ?? "";
        const accept = req.headers.accept ?? "";
        if (
          (url === "/my" || url.startsWith("/my/")) &&
          req.method === "GET" &&
          accept.includes("text/html") &&
          !/\.[a-z0-9]+(\?|$)/i.test(url)
        ) {
          req.url = "/my/index.html";
        }
        next();
      });
    },
  };
}

/**
 * Brotli and gzip copies of every text file, written once at build so the server (which sends
 * them with @fastify/static's preCompressed) never compresses per request.
 */
function precompress(): Plugin {
  const compressible = /\.(js|css|html|svg|json|webmanifest|map)$/;
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });
  return {
    name: "kansen:precompress",
    apply: "build",
    closeBundle() {
      for (const file of walk(fromRoot("dist"))) {
        if (!compressible.test(file) || statSync(file).size < 1024) continue;
        const data = readFileSync(file);
        writeFileSync(
          `${file}.br`,
          brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }),
        );
        writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
      }
    },
  };
}

/**
 * The patient app is installable and opens with no network (a feverish patient on a train):
 * a service worker scoped to /my/ keeps its page precached and the hashed assets it loaded in a
 * cache; reports made offline wait in the app's own queue (src/my/queue.ts) until online.
 * The staff app gets no service worker.
 */
function patientAppPwa() {
  return VitePWA({
    injectRegister: false,
    registerType: "autoUpdate",
    filename: "my/sw.js",
    scope: "/my/",
    base: "/my/",
    manifestFilename: "my/manifest.webmanifest",
    manifest: {
      name: "健康観察",
      short_name: "健康観察",
      description: "保健所への毎日の体調報告",
      lang: "ja",
      start_url: "/my/",
      scope: "/my/",
      display: "standalone",
      background_color: "#ffffff",
      theme_color: "#0017c1",
      icons: [{ src: "/my/icon.svg", sizes: "any", type: "image/svg+xml", purpose: "any" }],
    },
    includeManifestIcons: false,
    workbox: {
      globPatterns: ["my/index.html", "my/icon.svg"],
      // Files are found relative to dist/, the worker lives in /my/: make the URLs absolute.
      modifyURLPrefix: { "my/": "/my/" },
      navigateFallback: "/my/index.html",
      navigateFallbackAllowlist: [/^\/my(\/|$)/],
      // Hashed files never change: cache them the first time the app loads them.
      runtimeCaching: [
        {
          urlPattern: ({ url }) => url.pathname.startsWith("/assets/"),
          handler: "CacheFirst",
          options: { cacheName: "my-assets", expiration: { maxEntries: 60 } },
        },
      ],
      // API calls always go to the network (the app queues reports itself when offline).
      navigationPreload: false,
    },
  });
}

export default defineConfig({
  root: webRoot,
  base: "/",
  publicDir: fromRoot("public"),
  plugins: [tailwindcss(), patientAppFallback(), patientAppPwa(), precompress()],
  // React 17+ automatic JSX runtime (no @vitejs/plugin-react installed: no fast refresh, full reloads).
  oxc: { jsx: { runtime: "automatic", importSource: "react" } },
  build: {
    outDir: fromRoot("dist"),
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: {
      // React libraries mark modules "use client" (for server components); meaningless in this SPA.
      onwarn(warning, warn) {
        if (warning.code === "MODULE_LEVEL_DIRECTIVE") return;
        warn(warning);
      },
      input: {
        // Staff app (desktop first).
        main: fromRoot("index.html"),
        // Patient app (mobile first, separate light bundle).
        my: fromRoot("my/index.html"),
      },
    },
  },
  server: { port: 5173, strictPort: false, proxy },
  preview: { proxy },
});
