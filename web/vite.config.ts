/**
 * Builds the agent workspace. Run from the repository root:
 * `vite build --config web/vite.config.ts` (npm run build:web); output goes to web/dist,
 * which the server serves. In development `/api` is proxied to the server on port 3000.
 */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = decodeURIComponent(new URL('.', import.meta.url).pathname);

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 900,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: 'http://localhost:3000', changeOrigin: false },
    },
  },
});
