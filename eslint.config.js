// One lint setup for the whole repository. The layer rules below are the house's
// architecture, checked: a wrong import arrow fails `npm run lint` (STYLE.md rule 1).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

import layers from './lint/layer-imports.js';
import cycles from './lint/no-import-cycle.js';

// Each layer names what it may import; anything else fails with the list (STYLE.md rule 1).
// 'protocol/' is a folder of this repository, 'node:*' Node's built-ins, other names npm
// packages (with their subpaths). A later entry narrows an earlier one for its own files.
const LAYERS = [
  {
    layer: 'protocol/ (contracts, no I/O)',
    files: ['protocol/**'],
    allow: ['protocol/', '@sinclair/typebox'],
    deny: ['protocol/node/'],
  },
  {
    // Node helpers the kiosk and the server both need (durable file writes): no protocol
    // meaning, never exported from protocol/index.ts (the renderer has no Node).
    layer: 'protocol/node/',
    files: ['protocol/node/**'],
    allow: ['protocol/node/', 'node:*'],
  },
  {
    layer: 'server/',
    files: ['server/**'],
    allow: [
      'server/',
      'protocol/',
      'node:*',
      'fastify',
      '@fastify/*',
      '@sinclair/typebox',
      'jose',
      'pg',
      'better-sqlite3',
      'nodemailer',
      'prom-client',
      'pino',
      'uuid',
      'csv-parse',
      // Item photos: resized and re-encoded on the server (libvips, prebuilt for linux x64/arm64).
      'sharp',
    ],
    deny: ['src-dashboard/'],
  },
  {
    // The dashboard UI runs in the browser and talks to the server only over HTTP
    // (protocol/wire/admin.ts).
    layer: 'the dashboard UI (browser)',
    files: ['src-dashboard/**'],
    allow: ['src-dashboard/', 'protocol/', 'react', 'react-dom'],
    deny: ['protocol/node/'],
  },
  {
    layer: "the dashboard's build config (Vite, in Node)",
    files: ['src-dashboard/vite.config.ts'],
    allow: ['vite', '@vitejs/*', 'node:*'],
  },
  {
    layer: 'hardware/ (readers, lockers)',
    files: ['hardware/**'],
    allow: ['hardware/', 'protocol/', 'node:*', 'onoff', 'nfc-pcsc'],
    deny: ['protocol/node/'],
  },
  {
    // The core talks to the UI only through the KioskApi, and never to a shell.
    layer: 'src-main/core/ (the kiosk core)',
    files: ['src-main/core/**'],
    allow: [
      'src-main/core/',
      'protocol/',
      'hardware/',
      'node:*',
      'better-sqlite3',
      'jose',
      'uuid',
      '@sinclair/typebox',
    ],
  },
  {
    layer: 'src-main/web-host/ (the browser shell)',
    files: ['src-main/web-host/**'],
    allow: [
      'src-main/web-host/',
      // The core's public surface only (STYLE.md rule 13), as every composition root.
      'src-main/core/index.ts',
      'hardware/',
      'protocol/',
      'node:*',
      'ws',
      'pino',
      '@sinclair/typebox',
    ],
  },
  {
    // The shell loads the built renderer; it does not import it.
    layer: 'src-main/electron/ (the Electron shell)',
    files: ['src-main/electron/**'],
    allow: [
      'src-main/electron/',
      'src-main/core/index.ts',
      'src-main/web-host/',
      'hardware/',
      'protocol/',
      'node:*',
      'electron',
      'pino',
    ],
  },
  {
    // The renderer has no Node and talks only through the KioskApi (protocol/).
    layer: 'src-renderer/ (the kiosk UI, browser)',
    files: ['src-renderer/**'],
    allow: ['src-renderer/', 'protocol/', 'react', 'react-dom', 'es-hangul'],
    deny: ['protocol/node/'],
  },
  {
    layer: "the renderer's build config (Vite, in Node)",
    files: ['src-renderer/vite.config.ts'],
    allow: ['vite', '@vitejs/*', 'node:*'],
  },
];

// STYLE.md rule 5: raw IPC only in the two binding helpers, which build every channel from
// the KioskApi tables; everything else goes through them.
const RAW_IPC = ['electron', 'electron/main', 'electron/renderer'].map((name) => ({
  name,
  importNames: ['ipcMain', 'ipcRenderer'],
  message: 'Raw IPC lives in src-main/electron/ipc-main.ts and preload.ts only; use the KioskApi binding.',
}));

// STYLE.md: core logic takes time from an injected clock and timers from a port, so tests
// drive time. The adapters that wrap the real ones are the exceptions below.
const NO_AMBIENT_TIME = {
  'no-restricted-properties': [
    'error',
    {
      object: 'Date',
      property: 'now',
      message: 'Take the time from the injected clock (protocol/clock.ts).',
    },
  ],
  'no-restricted-globals': [
    'error',
    ...['setTimeout', 'setInterval'].map((name) => ({
      name,
      message: 'Take timers from the injected port (src-main/core/ports.ts), so tests drive time.',
    })),
  ],
  'no-restricted-syntax': [
    'error',
    {
      selector: 'NewExpression[callee.name="Date"][arguments.length=0]',
      message: 'Take the time from the injected clock (protocol/clock.ts).',
    },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', 'coverage/**', 'test/artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  { plugins: { layers, cycles }, rules: { 'cycles/no-import-cycle': 'error' } },
  ...LAYERS.map(({ layer, files, allow, deny }) => ({
    files,
    rules: { 'layers/layer-imports': ['error', { layer, allow, ...(deny ? { deny } : {}) }] },
  })),
  {
    // A folder under a layer root that no layer names is refused until it is named.
    files: ['src-main/**'],
    ignores: LAYERS.flatMap((l) => l.files),
    rules: { 'layers/no-layer': 'error' },
  },
  {
    files: ['src-dashboard/**', 'src-renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['src-dashboard/vite.config.ts', 'src-renderer/vite.config.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['src-main/electron/**'],
    ignores: ['src-main/electron/ipc-main.ts', 'src-main/electron/preload.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: RAW_IPC }] },
  },
  {
    files: ['protocol/**', 'src-main/core/**'],
    ignores: ['protocol/clock.ts', 'src-main/core/ports.ts', 'protocol/node/**'],
    rules: NO_AMBIENT_TIME,
  },
  {
    // Outside its layer rules, too, code reaches the kiosk core only through its public
    // surface, src-main/core/index.ts (STYLE.md rule 13). The core's own tests (test/) may
    // import the files they test.
    files: ['scripts/**', '*.ts', '*.js'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)src-main/core/(?!index\\.ts$)',
              message: 'Import the kiosk core through src-main/core/index.ts, its public surface.',
            },
          ],
        },
      ],
    },
  },
  {
    // STYLE.md: tests drive the real modules; only Electron, whose binary cannot run here,
    // is mocked.
    files: ['test/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'CallExpression[callee.object.name="vi"][callee.property.name=/^(mock|doMock)$/]:not([arguments.0.value=/^electron(\\/.*)?$/])',
          message:
            'vi.mock is for electron only: drive the real module (fake hardware or time through its ports).',
        },
      ],
    },
  },
  {
    // The store port is asynchronous: a store call that is not awaited loses its error and
    // its order. Type-aware, so limited to the server and the tests that drive it.
    files: ['server/**/*.ts', 'test/**/*.ts'],
    ignores: ['src-dashboard/**'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
);
