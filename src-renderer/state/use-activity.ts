/**
 * Touches during a session tell the core the person is still there (it moves the
 * inactivity deadline). Throttled: a scroll is dozens of pointer events.
 */
import { useEffect } from 'react';
import type { KioskApi } from '../../protocol/kiosk-api.ts';

export function useActivityPing(api: KioskApi, active: boolean, everyMs = 2_000) {
  useEffect(() => {
    if (!active) return;
    let last = -Infinity;
    const ping = () => {
      const now = performance.now();
      if (now - last < everyMs) return;
      last = now;
      api.activity({}).catch(() => {
        /* the session may just have ended; nothing to tell the person */
      });
    };
    window.addEventListener('pointerdown', ping, { passive: true });
    window.addEventListener('keydown', ping, { passive: true });
    return () => {
      window.removeEventListener('pointerdown', ping);
      window.removeEventListener('keydown', ping);
    };
  }, [api, active, everyMs]);
}
