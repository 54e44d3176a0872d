/** The kiosk window's settings and lock-down, against the fake Electron. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createKioskWindow,
  denyAllPermissions,
  hardenContents,
  kioskWindowOptions,
} from '../../src-main/electron/window.ts';
import { recordingLogger } from '../fixtures/manual-time.ts';
import * as electron from './fake-electron.ts';

vi.mock('electron', () => import('./fake-electron.ts'));

beforeEach(() => electron.resetElectron());

const preventable = (url: string) => {
  const event = { url, prevented: false, preventDefault: () => (event.prevented = true) };
  return event;
};

describe('kiosk window options', () => {
  it('is a fullscreen kiosk window without a frame or menu bar', () => {
    const o = kioskWindowOptions({ preload: '/app/preload.cjs', dev: false });
    expect(o).toMatchObject({
      fullscreen: true,
      kiosk: true,
      frame: false,
      autoHideMenuBar: true,
      show: false,
    });
  });

  it('isolates the page: context isolation, sandbox, no Node anywhere, web security on', () => {
    const w = kioskWindowOptions({ preload: '/app/preload.cjs', dev: false }).webPreferences!;
    expect(w).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      disableDialogs: true,
    });
  });

  it('allows devtools only in development', () => {
    expect(kioskWindowOptions({ preload: 'p', dev: false }).webPreferences!.devTools).toBe(false);
    expect(kioskWindowOptions({ preload: 'p', dev: true }).webPreferences!.devTools).toBe(true);
  });

  it('creates the window without a menu, zoom locked, loading the app page, shown when ready', () => {
    const win = createKioskWindow({
      preload: '/app/preload.cjs',
      dev: false,
      url: 'app://kiosk/index.html',
      logger: recordingLogger(),
    }) as unknown as electron.BrowserWindow;
    expect(win.menu).toBeNull();
    expect(win.loadedUrl).toBe('app://kiosk/index.html');
    expect(win.webContents.setVisualZoomLevelLimits).toHaveBeenCalledWith(1, 1);
    expect(win.shown).toBe(false);
    win.emit('ready-to-show');
    expect(win.shown).toBe(true);
  });

  it('refuses to load anything but the app origin', () => {
    for (const url of ['https://example.com/', 'file:///etc/passwd', 'app://other/index.html'])
      expect(() => createKioskWindow({ preload: 'p', dev: false, url, logger: recordingLogger() })).toThrow(
        /app:\/\//,
      );
  });
});

describe('hardened web contents', () => {
  function hardened(dev = false) {
    const contents = new electron.FakeWebContents();
    const logger = recordingLogger();
    hardenContents(contents as never, { dev, logger });
    return { contents, logger };
  }

  it.each(['will-navigate', 'will-frame-navigate', 'will-redirect'])('blocks %s, to any URL', (event) => {
    const { contents, logger } = hardened();
    for (const url of ['https://example.com/', 'app://kiosk/other.html', 'file:///']) {
      const e = preventable(url);
      contents.emit(event, e, url);
      expect(e.prevented).toBe(true);
    }
    expect(logger.lines.every((l) => l.level === 'warn')).toBe(true);
  });

  it('denies every new window', () => {
    const { contents } = hardened();
    expect(contents.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'app://kiosk/index.html' })).toEqual({ action: 'deny' });
  });

  it('blocks webviews', () => {
    const { contents } = hardened();
    const e = preventable('');
    contents.emit('will-attach-webview', e);
    expect(e.prevented).toBe(true);
  });

  it('closes devtools that open in production, leaves them in development', () => {
    const prod = hardened(false).contents;
    prod.emit('devtools-opened');
    expect(prod.closeDevTools).toHaveBeenCalled();
    const dev = hardened(true).contents;
    dev.emit('devtools-opened');
    expect(dev.closeDevTools).not.toHaveBeenCalled();
  });
});

describe('permissions', () => {
  it('denies every permission request, check and device', () => {
    const s = electron.session.defaultSession;
    const logger = recordingLogger();
    denyAllPermissions(s as never, logger);
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'hid',
      'serial',
      'clipboard-read',
      'fullscreen',
    ]) {
      const callback = vi.fn();
      s.requestHandler!({}, permission, callback, {});
      expect(callback).toHaveBeenCalledWith(false);
      expect(s.checkHandler!({}, permission, 'app://kiosk', {})).toBe(false);
    }
    expect(s.deviceHandler!({ deviceType: 'usb' })).toBe(false);
    expect(logger.lines[0]).toMatchObject({ level: 'warn', obj: { permission: 'media' } });
  });
});
