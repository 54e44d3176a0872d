/**
 * The Electron shell's lifecycle, as a list of setup steps (main.ts only gathers config and
 * calls this). Order matters and follows Electron's rules: scheme privileges, sandboxing and
 * GPU switches before 'ready'; protocol handler, session policy and the window after it.
 */
import { Menu, app, powerSaveBlocker, session, type BrowserWindow } from 'electron';
import { systemClock, type Clock } from '../../protocol/clock.ts';
import type { KioskApi } from '../../protocol/kiosk-api.ts';
import { realScheduler, type Logger, type Scheduler } from '../core/index.ts';
import { APP_ENTRY_URL, isAppUrl, registerAppScheme, serveRenderer } from './app-protocol.ts';
import { bindKioskIpc } from './ipc-main.ts';
import { createRendererWatchdog } from './renderer-watchdog.ts';
import { createKioskWindow, denyAllPermissions, hardenContents } from './window.ts';

export type RunningKiosk = { api: KioskApi; start(): Promise<void>; close(): Promise<void> };

export type ShellDeps = {
  /** Development build (not packaged): devtools allowed. */
  dev: boolean;
  /** Software rendering, for GPUs/drivers that misbehave (config `disableGpu`, RENTAL_DISABLE_GPU=1). */
  disableGpu: boolean;
  rendererDir: string;
  /** Where the kiosk keeps item photo thumbnails (core/catalog/photo-store.ts). */
  photosDir?: string;
  preload: string;
  logger: Logger;
  /** Builds the kiosk core; called once, after 'ready'. */
  openKiosk(): Promise<RunningKiosk>;
  clock?: Clock;
  scheduler?: Scheduler;
};

export type Shell = {
  /** Resolves with the kiosk window once it is created, or null if startup failed. */
  ready: Promise<BrowserWindow | null>;
};

/** Returns null when another instance already runs (this one then quits). */
export function runShell(deps: ShellDeps): Shell | null {
  const { logger } = deps;
  if (!setupSingleInstance(logger)) return null;
  setupBeforeReady(deps);

  let win: BrowserWindow | null = null;
  let kiosk: RunningKiosk | null = null;
  const cleanups: Array<() => void> = [];
  app.on('second-instance', () => {
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('window-all-closed', () => app.quit());
  setupOrderlyQuit(logger, async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    await kiosk?.close();
  });

  const ready = app.whenReady().then(async () => {
    try {
      denyAllPermissions(session.defaultSession, logger);
      serveRenderer(deps.rendererDir, deps.photosDir);
      cleanups.push(keepDisplayAwake(logger));
      kiosk = await deps.openKiosk();
      win = createKioskWindow({ preload: deps.preload, dev: deps.dev, url: APP_ENTRY_URL, logger });
      const contents = win.webContents;
      cleanups.push(bindKioskIpc({ api: kiosk.api, logger, policy: { contents: () => contents, isAppUrl } }));
      cleanups.push(superviseRenderer(win, deps));
      preventClose(win);
      // Start after the window exists: the screen must come up even while the server is unreachable.
      void kiosk.start().catch((err: unknown) => logger.error({ err: String(err) }, 'kiosk start failed'));
      return win;
    } catch (err) {
      logger.error({ err: err instanceof Error ? err.message : String(err) }, 'kiosk shell failed to start');
      // systemd (Restart=on-failure) brings it back; see build/linux/rental-kiosk.service.
      app.exit(1);
      return null;
    }
  });
  return { ready };
}

function setupSingleInstance(logger: Logger): boolean {
  if (app.requestSingleInstanceLock()) return true;
  logger.warn({}, 'another kiosk instance is running; quitting');
  app.quit();
  return false;
}

function setupBeforeReady(deps: ShellDeps): void {
  registerAppScheme();
  // Every renderer sandboxed, including any created by a library, not only our window.
  app.enableSandbox();
  if (deps.disableGpu) {
    app.disableHardwareAcceleration();
    deps.logger.info({}, 'GPU acceleration disabled');
  }
  Menu.setApplicationMenu(null);
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, deps));
}

/** Closing the window (Alt+F4, a compositor gesture) must not leave an empty screen. */
function preventClose(win: BrowserWindow): void {
  let quitting = false;
  app.once('before-quit', () => (quitting = true));
  win.on('close', (event) => {
    if (!quitting) event.preventDefault();
  });
}

/** Electron does not wait for async work on quit: hold the quit until the kiosk has closed. */
function setupOrderlyQuit(logger: Logger, close: () => Promise<void>): void {
  let state: 'running' | 'closing' | 'closed' = 'running';
  app.on('before-quit', (event) => {
    if (state === 'closed') return;
    event.preventDefault();
    if (state === 'closing') return;
    state = 'closing';
    void close()
      .catch((err: unknown) => logger.error({ err: String(err) }, 'kiosk close failed'))
      .finally(() => {
        state = 'closed';
        app.quit();
      });
  });
}

function keepDisplayAwake(logger: Logger): () => void {
  const id = powerSaveBlocker.start('prevent-display-sleep');
  logger.info({ active: powerSaveBlocker.isStarted(id) }, 'display kept awake');
  return () => {
    if (powerSaveBlocker.isStarted(id)) powerSaveBlocker.stop(id);
  };
}

function superviseRenderer(win: BrowserWindow, deps: ShellDeps): () => void {
  const contents = win.webContents;
  const watchdog = createRendererWatchdog({
    reload: () => {
      if (!win.isDestroyed()) contents.reload();
    },
    crash: () => {
      if (!win.isDestroyed()) contents.forcefullyCrashRenderer();
    },
    clock: deps.clock ?? systemClock,
    scheduler: deps.scheduler ?? realScheduler,
    logger: deps.logger,
  });
  contents.on('render-process-gone', (_event, details) => watchdog.gone(details));
  win.on('unresponsive', () => watchdog.unresponsive());
  win.on('responsive', () => watchdog.responsive());
  return () => watchdog.stop();
}
