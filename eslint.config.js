// One lint setup for the whole repository. The layer rules below are the house's
// architecture, checked: a wrong import arrow fails `npm run lint` (STYLE.md rule 1).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const restrict = (patterns, paths = []) => ({
  'no-restricted-imports': ['error', { patterns, paths }],
});

const ELECTRON = { group: ['electron', 'electron/*'], message: 'Electron lives in src-main/electron only.' };
const SERVER = {
  group: ['**/server/**'],
  message: 'The kiosk side never imports the server; share through protocol/.',
};
const KIOSK = {
  group: ['**/src-main/**', '**/src-renderer/**', '**/hardware/**'],
  message: 'The server never imports the kiosk side; share through protocol/.',
};
// STYLE.md rule 5: raw IPC only in the two binding helpers, which build every channel from
// the KioskApi tables; everything else goes through them.
const RAW_IPC = ['electron', 'electron/main', 'electron/renderer'].map((name) => ({
  name,
  importNames: ['ipcMain', 'ipcRenderer'],
  message: 'Raw IPC lives in src-main/electron/ipc-main.ts and preload.ts only; use the KioskApi binding.',
}));
const ELECTRON_SHELL_ONLY = [
  SERVER,
  { group: ['**/src-renderer/**'], message: 'The shell loads the built renderer; it does not import it.' },
];
const NODE = {
  group: ['node:*', 'fs', 'path', 'child_process', 'better-sqlite3', 'ws'],
  message: 'The renderer has no Node.',
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
  {
    files: ['protocol/**'],
    rules: restrict([
      ELECTRON,
      SERVER,
      KIOSK,
      {
        group: ['node:*', 'better-sqlite3', 'ws', 'fastify'],
        message: 'protocol/ holds contracts only, no I/O.',
      },
    ]),
  },
  {
    // Node helpers the kiosk and the server both need (durable file writes): no protocol
    // meaning, never exported from protocol/index.ts (the renderer has no Node).
    files: ['protocol/node/**'],
    rules: restrict([ELECTRON, SERVER, KIOSK]),
  },
  { files: ['server/**'], rules: restrict([ELECTRON, KIOSK]) },
  {
    // The dashboard UI runs in the browser: protocol/ and its own files only.
    files: ['server/dashboard/ui/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict([
      ELECTRON,
      KIOSK,
      NODE,
      {
        group: [
          '**/routes/**',
          '**/store/**',
          '**/auth/**',
          '**/http/**',
          '**/events/**',
          '**/audit/**',
          'fastify',
        ],
        message: 'The dashboard talks to the server only over HTTP (protocol/wire/admin.ts).',
      },
    ]),
  },
  {
    // Its build config runs in Node (Vite), not in the browser.
    files: ['server/dashboard/ui/vite.config.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: restrict([ELECTRON, KIOSK]),
  },
  {
    files: ['hardware/**'],
    rules: restrict([
      ELECTRON,
      SERVER,
      { group: ['**/src-main/**', '**/src-renderer/**'], message: 'hardware/ depends only on protocol/.' },
    ]),
  },
  {
    files: ['src-main/core/**', 'src-main/web-host/**'],
    rules: restrict([
      ELECTRON,
      SERVER,
      { group: ['**/src-renderer/**'], message: 'The core talks to the UI only through the KioskApi.' },
    ]),
  },
  { files: ['src-main/electron/**'], rules: restrict(ELECTRON_SHELL_ONLY, RAW_IPC) },
  {
    files: ['src-main/electron/ipc-main.ts', 'src-main/electron/preload.ts'],
    rules: restrict(ELECTRON_SHELL_ONLY),
  },
  {
    files: ['src-renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict([
      ELECTRON,
      SERVER,
      NODE,
      {
        group: ['**/src-main/**', '**/hardware/**'],
        message: 'The renderer talks only through the KioskApi (protocol/).',
      },
    ]),
  },
  {
    // The renderer's build config runs in Node (Vite), not in the renderer.
    files: ['src-renderer/vite.config.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: restrict([ELECTRON, SERVER]),
  },
  {
    // The store port is asynchronous: a store call that is not awaited loses its error and
    // its order. Type-aware, so limited to the server and the tests that drive it.
    files: ['server/**/*.ts', 'test/**/*.ts'],
    ignores: ['server/dashboard/ui/**'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
);
