/**
 * A stand-in for the `electron` module (its binary cannot be downloaded on these machines):
 * just enough of app, BrowserWindow, WebContents, session, protocol, ipcMain/ipcRenderer and
 * contextBridge to run the shell's code and record what it asked Electron to do.
 * Tests load it with `vi.mock('electron', () => import('./fake-electron.ts'))` and call
 * `resetElectron()` in beforeEach.
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

type Handler = (event: unknown, ...args: unknown[]) => unknown;

export class FakeFrame {
  parent: FakeFrame | null = null;
  constructor(public url: string) {}
}

export class FakeWebContents extends EventEmitter {
  private static nextId = 1;
  id = FakeWebContents.nextId++;
  mainFrame = new FakeFrame('app://kiosk/index.html');
  destroyed = false;
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  sent: Array<{ channel: string; payload: unknown }> = [];
  reload = vi.fn();
  forcefullyCrashRenderer = vi.fn();
  closeDevTools = vi.fn();
  setVisualZoomLevelLimits = vi.fn(async () => {});
  isDestroyed = () => this.destroyed;
  setWindowOpenHandler(h: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = h;
  }
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload });
  }
}

export class BrowserWindow extends EventEmitter {
  static instances: BrowserWindow[] = [];
  webContents = new FakeWebContents();
  loadedUrl: string | null = null;
  menu: unknown = 'default';
  shown = false;
  destroyed = false;
  constructor(public options: Record<string, unknown>) {
    super();
    BrowserWindow.instances.push(this);
    // Electron announces every new WebContents on the app.
    app.emit('web-contents-created', {}, this.webContents);
  }
  setMenu(menu: unknown) {
    this.menu = menu;
  }
  async loadURL(url: string) {
    this.loadedUrl = url;
  }
  show() {
    this.shown = true;
  }
  isDestroyed = () => this.destroyed;
  isMinimized = () => false;
  restore = vi.fn();
  focus = vi.fn();
  /** What closing (Alt+F4) does: 'close' first, which a listener may cancel. */
  tryClose(): boolean {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    return !prevented;
  }
}

class FakeApp extends EventEmitter {
  isPackaged = false;
  gotLock = true;
  readyResolve: () => void = () => {};
  readyPromise = new Promise<void>((r) => (this.readyResolve = r));
  reset() {
    this.removeAllListeners();
    this.isPackaged = false;
    this.gotLock = true;
    this.quitted = false;
    this.readyPromise = new Promise<void>((r) => (this.readyResolve = r));
    for (const fn of [this.requestSingleInstanceLock, this.quit, this.exit, this.enableSandbox])
      fn.mockClear();
    this.disableHardwareAcceleration.mockClear();
  }
  requestSingleInstanceLock = vi.fn(() => this.gotLock);
  quit = vi.fn(() => {
    const event = { defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true) };
    this.emit('before-quit', event);
    if (!event.defaultPrevented) this.quitted = true;
  });
  quitted = false;
  exit = vi.fn();
  enableSandbox = vi.fn();
  disableHardwareAcceleration = vi.fn();
  whenReady = () => this.readyPromise;
  getPath = (name: string) => `/tmp/fake-electron/${name}`;
}

export const app = new FakeApp();

export const Menu = { setApplicationMenu: vi.fn() };

export const protocol = {
  privileged: [] as unknown[],
  handlers: new Map<string, (req: Request) => Promise<Response>>(),
  registerSchemesAsPrivileged: vi.fn((schemes: unknown[]) => protocol.privileged.push(...schemes)),
  handle: vi.fn((scheme: string, h: (req: Request) => Promise<Response>) => protocol.handlers.set(scheme, h)),
};

class FakeSession {
  requestHandler: Handler | null = null;
  checkHandler: Handler | null = null;
  deviceHandler: Handler | null = null;
  setPermissionRequestHandler(h: Handler) {
    this.requestHandler = h;
  }
  setPermissionCheckHandler(h: Handler) {
    this.checkHandler = h;
  }
  setDevicePermissionHandler(h: Handler) {
    this.deviceHandler = h;
  }
}
export const session = { defaultSession: new FakeSession() };

export const powerSaveBlocker = {
  started: new Map<number, string>(),
  next: 1,
  start: vi.fn((type: string) => {
    const id = powerSaveBlocker.next++;
    powerSaveBlocker.started.set(id, type);
    return id;
  }),
  stop: vi.fn((id: number) => powerSaveBlocker.started.delete(id)),
  isStarted: (id: number) => powerSaveBlocker.started.has(id),
};

export const ipcMain = {
  handlers: new Map<string, Handler>(),
  handle: vi.fn((channel: string, h: Handler) => {
    if (ipcMain.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    ipcMain.handlers.set(channel, h);
  }),
  removeHandler: vi.fn((channel: string) => ipcMain.handlers.delete(channel)),
};

/** The renderer side talks straight to ipcMain's handlers, like the real invoke does. */
export const ipcRenderer = Object.assign(new EventEmitter(), {
  sender: null as null | { webContents: FakeWebContents; frame: FakeFrame | null },
  invoke: vi.fn(async (channel: string, ...args: unknown[]) => {
    const h = ipcMain.handlers.get(channel);
    if (!h) throw new Error(`Error invoking remote method '${channel}': No handler registered`);
    const from = ipcRenderer.sender;
    return h({ sender: from?.webContents ?? null, senderFrame: from?.frame ?? null }, ...args);
  }),
});

export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld: vi.fn((key: string, api: unknown) => contextBridge.exposed.set(key, api)),
};

export function resetElectron(): void {
  app.reset();
  BrowserWindow.instances = [];
  Menu.setApplicationMenu.mockClear();
  protocol.privileged = [];
  protocol.handlers.clear();
  session.defaultSession = new FakeSession();
  powerSaveBlocker.started.clear();
  ipcMain.handlers.clear();
  ipcRenderer.removeAllListeners();
  ipcRenderer.sender = null;
  contextBridge.exposed.clear();
}
