import { describe, expect, it, vi } from 'vitest';
import { createRendererWatchdog } from '../../src-main/electron/renderer-watchdog.ts';
import { manualTime, recordingLogger } from '../fixtures/manual-time.ts';

function setup() {
  const time = manualTime();
  const logger = recordingLogger();
  const reload = vi.fn();
  const crash = vi.fn();
  const dog = createRendererWatchdog({
    reload,
    crash,
    clock: time.clock,
    scheduler: time.scheduler,
    logger,
    options: { baseDelayMs: 500, maxDelayMs: 8000, windowMs: 60_000, repeatedAfter: 3, hangGraceMs: 10_000 },
  });
  return { time, logger, reload, crash, dog };
}

const crashed = { reason: 'crashed', exitCode: 139 };

describe('renderer watchdog', () => {
  it('reloads a crashed renderer after a short delay', () => {
    const { time, reload, dog, logger } = setup();
    dog.gone(crashed);
    expect(time.pending()).toEqual([500]);
    time.advance(499);
    expect(reload).not.toHaveBeenCalled();
    time.advance(1);
    expect(reload).toHaveBeenCalledTimes(1);
    expect(logger.lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        obj: expect.objectContaining({ reason: 'crashed', reloadInMs: 500 }),
      }),
    ]);
  });

  it('doubles the delay for each crash in the window, up to the maximum, and logs repeats as errors', () => {
    const { time, reload, dog, logger } = setup();
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      dog.gone(crashed);
      const [delay] = time.pending();
      delays.push(delay!);
      time.advance(delay!);
    }
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
    expect(reload).toHaveBeenCalledTimes(7);
    expect(logger.lines.map((l) => l.level)).toEqual([
      'warn',
      'warn',
      'error',
      'error',
      'error',
      'error',
      'error',
    ]);
    expect(logger.lines[2]!.msg).toMatch(/keeps crashing/);
  });

  it('forgets crashes older than the window', () => {
    const { time, dog } = setup();
    dog.gone(crashed);
    time.advance(500);
    dog.gone(crashed);
    expect(time.pending()).toEqual([1000]);
    time.advance(61_000);
    dog.gone(crashed);
    expect(time.pending()).toEqual([500]);
  });

  it('schedules one reload even when several crashes arrive before it', () => {
    const { time, reload, dog } = setup();
    dog.gone(crashed);
    dog.gone({ reason: 'oom', exitCode: 0 });
    expect(time.pending()).toHaveLength(1);
    time.advance(10_000);
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('ignores a clean exit (window closing, app quitting)', () => {
    const { time, dog, logger } = setup();
    dog.gone({ reason: 'clean-exit', exitCode: 0 });
    expect(time.pending()).toEqual([]);
    expect(logger.lines).toEqual([]);
  });

  it('crashes a renderer that stays unresponsive past the grace period', () => {
    const { time, crash, dog } = setup();
    dog.unresponsive();
    time.advance(9_999);
    expect(crash).not.toHaveBeenCalled();
    time.advance(1);
    expect(crash).toHaveBeenCalledTimes(1);
  });

  it('leaves a renderer alone that becomes responsive again', () => {
    const { time, crash, dog } = setup();
    dog.unresponsive();
    time.advance(5_000);
    dog.responsive();
    time.advance(60_000);
    expect(crash).not.toHaveBeenCalled();
  });

  it('does nothing after stop', () => {
    const { time, reload, dog } = setup();
    dog.gone(crashed);
    dog.stop();
    time.advance(60_000);
    dog.gone(crashed);
    expect(reload).not.toHaveBeenCalled();
    expect(time.pending()).toEqual([]);
  });
});
