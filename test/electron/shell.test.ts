/** The shell's lifecycle against the fake Electron: what happens before and after 'ready'. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { KioskApi } from '../../protocol/kiosk-api.ts';
import { runShell, type RunningKiosk, type ShellDeps } from '../../src-main/electron/shell.ts';
import { manualTime, recordingLogger } from '../fixtures/manual-time.ts';
import * as electron from './fake-electron.ts';

vi.mock('electron', () => import('./fake-electron.ts'));

beforeEach(() => electron.resetElectron());

function start(over: Partial<ShellDeps> = {}) {
  const time = manualTime();
  const logger = recordingLogger();
  const kiosk: RunningKiosk & { closed: boolean; started: boolean } = {
    api: { on: () => () => {} } as unknown as KioskApi,
    closed: false,
    started: false,
    start: async () => void (kiosk.started = true),
    close: async () => void (kiosk.closed = true),
  };
  const shell = runShell({
    dev: false,
    disableGpu: false,
    rendererDir: '/app/renderer',
    preload: '/app/main/preload.cjs',
    logger,
    openKiosk: async () => kiosk,
    clock: time.clock,
    scheduler: time.scheduler,
    ...over,
  });
  const ready = async () => {
    electron.app.readyResolve();
    return (await shell!.ready) as unknown as electron.BrowserWindow;
  };
  return { shell, ready, kiosk, logger, time };
}

describe('before ready', () => {
  it('takes the single-instance lock; a second instance quits without touching anything', () => {
    electron.app.gotLock = false;
    const { shell } = start();
    expect(shell).toBeNull();
    expect(electron.app.quit).toHaveBeenCalled();
    expect(electron.protocol.registerSchemesAsPrivileged).not.toHaveBeenCalled();
  });

  it('registers the app scheme, sandboxes every renderer and removes the menu', () => {
    start();
    expect(electron.protocol.privileged).toHaveLength(1);
    expect(electron.app.enableSandbox).toHaveBeenCalled();
    expect(electron.Menu.setApplicationMenu).toHaveBeenCalledWith(null);
    expect(electron.BrowserWindow.instances).toHaveLength(0);
  });

  it('turns GPU acceleration off only when asked', () => {
    start();
    expect(electron.app.disableHardwareAcceleration).not.toHaveBeenCalled();
    electron.resetElectron();
    start({ disableGpu: true });
    expect(electron.app.disableHardwareAcceleration).toHaveBeenCalledTimes(1);
  });
});

describe('after ready', () => {
  it('denies permissions, serves app://, keeps the display awake, opens the kiosk window and binds IPC', async () => {
    const { ready, kiosk } = start();
    const win = await ready();
    expect(electron.session.defaultSession.requestHandler).not.toBeNull();
    expect(electron.protocol.handlers.has('app')).toBe(true);
    expect([...electron.powerSaveBlocker.started.values()]).toEqual(['prevent-display-sleep']);
    expect(electron.BrowserWindow.instances).toEqual([win]);
    expect(win.options).toMatchObject({ kiosk: true, fullscreen: true });
    expect(win.options.webPreferences).toMatchObject({ preload: '/app/main/preload.cjs', devTools: false });
    expect(win.loadedUrl).toBe('app://kiosk/index.html');
    expect(electron.ipcMain.handlers.has('kiosk:call:getView')).toBe(true);
    expect(kiosk.started).toBe(true);
  });

  it('hardens the kiosk window (it arrives through web-contents-created)', async () => {
    const { ready } = start();
    const win = await ready();
    expect(win.webContents.windowOpenHandler!({ url: 'https://example.com' })).toEqual({ action: 'deny' });
  });

  it('reloads a crashed renderer with backoff and logs repeated crashes', async () => {
    const { ready, time, logger } = start();
    const win = await ready();
    const crash = () => win.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 11 });
    crash();
    time.advance(500);
    expect(win.webContents.reload).toHaveBeenCalledTimes(1);
    crash();
    time.advance(999);
    expect(win.webContents.reload).toHaveBeenCalledTimes(1);
    time.advance(1);
    expect(win.webContents.reload).toHaveBeenCalledTimes(2);
    crash();
    expect(logger.lines.at(-1)).toMatchObject({ level: 'error', obj: { crashesInWindow: 3 } });
  });

  it('crashes a hung renderer so that it is reloaded', async () => {
    const { ready, time } = start();
    const win = await ready();
    win.emit('unresponsive');
    time.advance(15_000);
    expect(win.webContents.forcefullyCrashRenderer).toHaveBeenCalled();
  });

  it('refuses to close the window (Alt+F4) unless the app is quitting, and closes the kiosk on quit', async () => {
    const { ready, kiosk } = start();
    const win = await ready();
    expect(win.tryClose()).toBe(false);
    electron.app.quit();
    await vi.waitFor(() => expect(electron.app.quitted).toBe(true));
    expect(kiosk.closed).toBe(true);
    expect(electron.powerSaveBlocker.started.size).toBe(0);
    expect(win.tryClose()).toBe(true);
  });

  it('exits with status 1 (systemd restarts it) when the kiosk cannot be opened', async () => {
    const { ready, logger } = start({
      openKiosk: () => Promise.reject(new Error('this kiosk is not enrolled')),
    });
    expect(await ready()).toBeNull();
    expect(electron.app.exit).toHaveBeenCalledWith(1);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({ level: 'error', obj: { err: 'this kiosk is not enrolled' } }),
    );
  });

  it('brings the window forward when a second instance starts', async () => {
    const { ready } = start();
    const win = await ready();
    electron.app.emit('second-instance');
    expect(win.focus).toHaveBeenCalled();
  });
});
