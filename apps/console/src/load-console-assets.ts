import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, relative, sep } from "node:path";
import { gzipSync } from "node:zlib";

/** One built file, held in memory (the console's assets are small and fixed while the server runs). */
export interface ConsoleAsset {
  readonly body: Buffer;
  /** gzip of `body` for text types worth compressing; undefined otherwise. */
  readonly gzip: Buffer | undefined;
  readonly contentType: string;
  /** Vite's hashed file names never change content: cache them for a year. */
  readonly immutable: boolean;
}

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".map": "application/json",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
};

/**
 * Reads every file of a built console (`apps/console/dist`) into a map from
 * URL path (`/assets/index-3f2a.js`) to asset. Only these paths are ever
 * served, so no request path touches the file system. Returns undefined
 * when the directory holds no index.html (the console was not built).
 */
export function loadConsoleAssets(dir: string): Map<string, ConsoleAsset> | undefined {
  if (!existsSync(join(dir, "index.html"))) return undefined;
  const assets = new Map<string, ConsoleAsset>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      if (entry.startsWith(".")) continue;
      const full = join(d, entry);
      if (statSync(full).isDirectory()) {
        walk(full);
        continue;
      }
      const path = "/" + relative(dir, full).split(sep).join("/");
      const contentType = TYPES[extname(entry)] ?? "application/octet-stream";
      const body = readFileSync(full);
      const compressible = /^(text\/|application\/json|image\/svg)/.test(contentType) && body.length > 1024;
      assets.set(path, { body, gzip: compressible ? gzipSync(body) : undefined, contentType, immutable: path.startsWith("/assets/") });
    }
  };
  walk(dir);
  return assets;
}
