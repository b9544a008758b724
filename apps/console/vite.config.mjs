// The console's build (`npm run build` runs it through scripts/build-console.mjs)
// and dev server (`npx vite` here, with the RPCs proxied to a running control plane).
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const target = `http://${process.env.ORCHESTRATOR_ADDR ?? "127.0.0.1:50051"}`;

export default defineConfig({
  root: import.meta.dirname,
  base: "/",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    // Builds on a busy machine trip rolldown's plugin-timing notice; it says nothing about the output.
    rolldownOptions: { checks: { pluginTimings: false } },
  },
  worker: { format: "es" },
  server: {
    proxy: { "^/(orchestrator|grpc)\\.": { target, changeOrigin: false } },
  },
});
