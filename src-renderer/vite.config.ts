/**
 * Vite build of the kiosk UI into dist/renderer. Relative asset paths (`base: './'`) so the
 * same files load from the web host (http) and from Electron (file: or a custom protocol).
 * No inline script or style is emitted, so a strict CSP (script-src 'self') holds.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  esbuild: { jsx: 'automatic', jsxDev: false },
  // Always React's production build, even when a test runner (NODE_ENV=test) calls build().
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // The polyfill is injected inline otherwise; Chromium and Electron support modulepreload.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    target: 'chrome120',
    sourcemap: false,
  },
  server: { fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } },
});
