import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

// The console loads the built files from `dist/`; the dev server is only for `tauri dev` and stays
// on loopback.
export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  server: { host: '127.0.0.1', port: 1420, strictPort: true },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // WebKitGTK 2.40+ on Linux; Tauri's other webviews are newer still.
    target: 'safari16',
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
