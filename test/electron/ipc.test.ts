/**
 * The KioskApi over IPC, both halves: main's handlers (sender check, schema check, typed
 * errors) and the preload's `window.kioskApi`, talking through the fake ipcMain/ipcRenderer.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../protocol/errors.ts';
import { KIOSK_COMMANDS, type KioskApi, type KioskView } from '../../protocol/kiosk-api.ts';
import { isAppUrl } from '../../src-main/electron/app-protocol.ts';
import { COMMAND_NAMES, commandChannel, eventChannel } from '../../src-main/electron/ipc-channels.ts';
import { bindKioskIpc } from '../../src-main/electron/ipc-main.ts';
import { recordingLogger } from '../fixtures/manual-time.ts';
import * as electron from './fake-electron.ts';

vi.mock('electron', () => import('./fake-electron.ts'));

const VIEW: KioskView = {
  screen: 'idle',
  now: '2025-01-01T00:00:00.000Z',
  session: null,
  receipt: null,
  error: null,
  status: { online: true, pending: 0, lastSyncAt: null, readers: [], simulator: false },
  items: [],
};

/** A core that records what reached it. */
function fakeCore() {
  const calls: Array<{ command: string; params: unknown }> = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const ok = async () => ({ ok: true as const });
  const record =
    <R>(command: string, result: () => Promise<R>) =>
    async (params: unknown) => {
      calls.push({ command, params });
      return result();
    };
  const api = {
    getView: record('getView', async () => VIEW),
    borrow: record('borrow', ok),
    returnItems: record('returnItems', ok),
    endSession: record('endSession', ok),
    activity: record('activity', ok),
    simulateTap: record('simulateTap', ok),
    forceSync: record('forceSync', ok),
    startEnrol: record('startEnrol', ok),
    cancelEnrol: record('cancelEnrol', ok),
    simulateScan: record('simulateScan', ok),
    keyboardInput: record('keyboardInput', ok),
    on: (event: string, l: (payload: unknown) => void) => {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set.add(l));
      return () => void set.delete(l);
    },
  } as unknown as KioskApi;
  const emit = (event: string, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload));
  const subscribers = () => [...listeners.values()].reduce((n, set) => n + set.size, 0);
  return { api, calls, emit, subscribers };
}

function setup() {
  const core = fakeCore();
  const logger = recordingLogger();
  const win = new electron.BrowserWindow({});
  const contents = win.webContents;
  const dispose = bindKioskIpc({
    api: core.api,
    logger,
    policy: { contents: () => contents as never, isAppUrl },
  });
  // By default the calls come from the kiosk page's own top frame.
  electron.ipcRenderer.sender = { webContents: contents, frame: contents.mainFrame };
  const invoke = (command: string, params: unknown) =>
    electron.ipcRenderer.invoke(commandChannel(command as never), params);
  return { core, logger, contents, dispose, invoke };
}

beforeEach(() => electron.resetElectron());

describe('main: IPC handlers built from KIOSK_COMMANDS', () => {
  it('registers one handler per command and nothing else', () => {
    setup();
    expect([...electron.ipcMain.handlers.keys()].sort()).toEqual(
      Object.keys(KIOSK_COMMANDS)
        .map((c) => `kiosk:call:${c}`)
        .sort(),
    );
  });

  it('passes a valid call to the core and returns its result', async () => {
    const { core, invoke } = setup();
    expect(await invoke('borrow', { itemIds: ['item-1', 'item-2'] })).toEqual({
      ok: true,
      value: { ok: true },
    });
    expect(await invoke('getView', {})).toEqual({ ok: true, value: VIEW });
    expect(core.calls).toEqual([
      { command: 'borrow', params: { itemIds: ['item-1', 'item-2'] } },
      { command: 'getView', params: {} },
    ]);
  });

  it.each([
    ['missing params', 'borrow', undefined],
    ['wrong type', 'borrow', { itemIds: 'item-1' }],
    ['empty cart', 'borrow', { itemIds: [] }],
    ['duplicate items', 'borrow', { itemIds: ['a', 'a'] }],
    ['extra property', 'getView', { sneaky: true }],
    ['note too long', 'returnItems', { itemIds: ['a'], note: 'x'.repeat(501) }],
    ['prototype pollution', 'activity', JSON.parse('{"__proto__": {"admin": true}}')],
    ['not an object', 'endSession', 'please'],
  ])('refuses %s with BAD_REQUEST before the core sees it', async (_what, command, params) => {
    const { core, invoke } = setup();
    expect(await invoke(command, params)).toEqual({ ok: false, code: 'BAD_REQUEST' });
    expect(core.calls).toEqual([]);
  });

  it('has no handler for a channel outside the contract', async () => {
    setup();
    await expect(electron.ipcRenderer.invoke('kiosk:call:__proto__', {})).rejects.toThrow(/No handler/);
    await expect(electron.ipcRenderer.invoke('kiosk:call:constructor', {})).rejects.toThrow(/No handler/);
  });

  it.each([
    [
      'a subframe of the kiosk page',
      (c: electron.FakeWebContents) => {
        const frame = new electron.FakeFrame('app://kiosk/index.html');
        frame.parent = c.mainFrame;
        return { webContents: c, frame };
      },
    ],
    [
      'the top frame after navigating to another origin',
      (c: electron.FakeWebContents) => {
        c.mainFrame.url = 'https://evil.example/';
        return { webContents: c, frame: c.mainFrame };
      },
    ],
    [
      'a file:// page',
      (c: electron.FakeWebContents) => {
        c.mainFrame.url = 'file:///etc/passwd';
        return { webContents: c, frame: c.mainFrame };
      },
    ],
    [
      'another app:// host',
      (c: electron.FakeWebContents) => {
        c.mainFrame.url = 'app://other/index.html';
        return { webContents: c, frame: c.mainFrame };
      },
    ],
    [
      'a destroyed frame (senderFrame null)',
      (c: electron.FakeWebContents) => ({ webContents: c, frame: null }),
    ],
    [
      'another window',
      () => {
        const other = new electron.BrowserWindow({}).webContents;
        return { webContents: other, frame: other.mainFrame };
      },
    ],
  ])('refuses a call from %s with FORBIDDEN', async (_what, from) => {
    const { core, invoke, contents, logger } = setup();
    electron.ipcRenderer.sender = from(contents);
    expect(await invoke('getView', {})).toEqual({ ok: false, code: 'FORBIDDEN' });
    expect(core.calls).toEqual([]);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', msg: expect.stringMatching(/untrusted/) }),
    );
  });

  it("maps the core's AppError to its code and anything else to INTERNAL, without details", async () => {
    const { core, invoke, logger } = setup();
    core.api.borrow = async () => {
      throw new AppError('ITEM_UNAVAILABLE');
    };
    core.api.endSession = async () => {
      throw new Error('database is locked at /var/lib/secret');
    };
    expect(await invoke('borrow', { itemIds: ['a'] })).toEqual({ ok: false, code: 'ITEM_UNAVAILABLE' });
    expect(await invoke('endSession', {})).toEqual({ ok: false, code: 'INTERNAL' });
    expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'error' }));
  });

  it("treats a core result outside the command's schema as a bug (INTERNAL)", async () => {
    const { core, invoke } = setup();
    core.api.getView = async () => ({ screen: 'nowhere' }) as never;
    expect(await invoke('getView', {})).toEqual({ ok: false, code: 'INTERNAL' });
  });

  it("forwards the core's view events to the kiosk window only, and stops after dispose", () => {
    const { core, contents, dispose } = setup();
    const scan = { tag: 'QR-1', itemId: null, at: VIEW.now };
    core.emit('view', VIEW);
    core.emit('scan', scan);
    expect(contents.sent).toEqual([
      { channel: eventChannel('view'), payload: VIEW },
      { channel: 'kiosk:event:scan', payload: scan },
    ]);
    contents.destroyed = true;
    core.emit('view', VIEW);
    expect(contents.sent).toHaveLength(2);
    dispose();
    expect(core.subscribers()).toBe(0);
    expect(electron.ipcMain.handlers.size).toBe(0);
  });
});

describe('preload: window.kioskApi', () => {
  async function loadPreload() {
    vi.resetModules();
    await import('../../src-main/electron/preload.ts');
    return electron.contextBridge.exposed.get('kioskApi') as KioskApi;
  }

  it('exposes exactly the KioskApi under window.kioskApi, and nothing else', async () => {
    const api = await loadPreload();
    expect([...electron.contextBridge.exposed.keys()]).toEqual(['kioskApi']);
    expect(Object.keys(api).sort()).toEqual([...COMMAND_NAMES, 'on'].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
  });

  it('round-trips commands through main: results, refusals as CommandResult, getView refusals as errors', async () => {
    const { contents } = setup();
    const api = await loadPreload();
    expect(await api.getView({})).toEqual(VIEW);
    expect(await api.borrow({ itemIds: ['a'] })).toEqual({ ok: true });
    expect(await api.borrow({ itemIds: [] })).toEqual({ ok: false, code: 'BAD_REQUEST' });
    contents.mainFrame.url = 'https://evil.example/';
    await expect(api.getView({})).rejects.toThrow('FORBIDDEN');
  });

  it('delivers events without the IPC event object, and unsubscribes', async () => {
    const api = await loadPreload();
    const seen: unknown[][] = [];
    const off = api.on('view', (...args: unknown[]) => seen.push(args));
    electron.ipcRenderer.emit(eventChannel('view'), { sender: electron.ipcRenderer }, VIEW);
    expect(seen).toEqual([[VIEW]]);
    off();
    electron.ipcRenderer.emit(eventChannel('view'), {}, VIEW);
    expect(seen).toHaveLength(1);
    expect(() => api.on('nope' as never, () => {})).toThrow(/unknown kiosk event/);
  });
});
