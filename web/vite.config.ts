import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { SERVER_PATHS } from '../src/http/web/server-paths.js';

// `npm run dev`: Vite's dev server on 5173 with the API (npm start, port 3000 unless API_URL says
// otherwise) proxied, so the app talks to the same paths it uses when served by wabase.
const api = process.env.API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react(), tailwindcss()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 600 },
  server: { host: '127.0.0.1', port: 5173, proxy: Object.fromEntries(SERVER_PATHS.map((path) => [path, { target: api, changeOrigin: false }])) },
});
