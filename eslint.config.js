// One lint setup for the whole repository. The layer rules below are the house's
// architecture, checked: a wrong import arrow fails `npm run lint` (STYLE.md rule 1).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const restrict = (patterns) => ({
  'no-restricted-imports': ['error', { patterns }],
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
  { files: ['server/**'], rules: restrict([ELECTRON, KIOSK]) },
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
  {
    files: ['src-main/electron/**'],
    rules: restrict([
      SERVER,
      {
        group: ['**/src-renderer/**'],
        message: 'The shell loads the built renderer; it does not import it.',
      },
    ]),
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
);
