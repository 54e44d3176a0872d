/**
 * The kiosk window and its lock-down: what a person at the screen cannot do (leave the
 * app, open another page or window, open devtools, zoom, grant a permission) is decided
 * here. Electron's security checklist, applied to a kiosk.
 */
import {
  BrowserWindow,
  type BrowserWindowConstructorOptions,
  type Session,
  type WebContents,
} from 'electron';
import type { Logger } from '../core/index.ts';
import { isAppUrl } from './app-protocol.ts';

export type WindowSettings = {
  /** Absolute path of the bundled preload (dist/app/main/preload.cjs). */
  preload: string;
  /** Development build: devtools allowed. Never true in a packaged app. */
  dev: boolean;
};

export function kioskWindowOptions(s: WindowSettings): BrowserWindowConstructorOptions {
  return {
    fullscreen: true,
    kiosk: true,
    frame: false,
    autoHideMenuBar: true,
    // Shown on 'ready-to-show' so the person never sees a white flash.
    show: false,
    backgroundColor: '#10151c',
    webPreferences: {
      preload: s.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: s.dev,
      // alert()/confirm() would block the kiosk's only window.
      disableDialogs: true,
    },
  };
}

/** Applied to every WebContents the app creates ('web-contents-created'), not only ours. */
export function hardenContents(contents: WebContents, s: { dev: boolean; logger: Logger }): void {
  // The UI is one page: any navigation is an escape attempt or a bug. reload() is not a navigation.
  const block = (what: string) => (event: { preventDefault(): void; url: string }) => {
    event.preventDefault();
    s.logger.warn({ url: event.url }, `${what} blocked`);
  };
  contents.on('will-navigate', block('navigation'));
  contents.on('will-frame-navigate', block('frame navigation'));
  contents.on('will-redirect', block('redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    s.logger.warn({}, 'webview blocked');
  });
  contents.setWindowOpenHandler(({ url }) => {
    s.logger.warn({ url }, 'new window blocked');
    return { action: 'deny' };
  });
  if (!s.dev) {
    // webPreferences.devTools is false already; this also covers contents created elsewhere.
    contents.on('devtools-opened', () => contents.closeDevTools());
  }
}

/** Every permission (camera, notifications, HID, serial, ...) is refused, without a prompt. */
export function denyAllPermissions(session: Session, logger: Logger): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    logger.warn({ permission }, 'permission request denied');
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

export function createKioskWindow(s: WindowSettings & { url: string; logger: Logger }): BrowserWindow {
  const win = new BrowserWindow(kioskWindowOptions(s));
  win.setMenu(null);
  win.once('ready-to-show', () => win.show());
  // Pinch and Ctrl+wheel zoom off: a touch screen has no way back from a zoomed-in page.
  void win.webContents.setVisualZoomLevelLimits(1, 1);
  if (!isAppUrl(s.url)) throw new Error(`the kiosk window loads only app:// URLs, not ${s.url}`);
  void win.loadURL(s.url);
  return win;
}
