import { defineConfig } from 'vite';

// The Strata server serves dist/ at "/" and the API under "/api" on the same
// origin, so the bundle only ever uses relative URLs.  For `npm run dev`, the
// API is proxied to a locally running `strata serve` (default port 8080).
const apiTarget = 'http://127.0.0.1:8080';

export default defineConfig({
  base: './',
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
  },
  server: {
    proxy: {
      '/api': { target: apiTarget, ws: true, changeOrigin: true },
    },
  },
});
