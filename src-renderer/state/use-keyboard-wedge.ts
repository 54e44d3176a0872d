/**
 * A keyboard-wedge device (badge reader, barcode/QR scanner) is a USB keyboard: it types a
 * code and Enter into whatever window has focus, which on the kiosk is this page. Whatever
 * is typed outside a text field is collected with its event times and handed to the core
 * when Enter ends it; the core's one classifier (hardware/keyboard-wedge) decides, by timing
 * and pattern, whether it was a badge (a session starts), an item tag (a `scan` event comes
 * back) or a person typing (ignored). The page keeps no classifier of its own.
 *
 * Enter outside a text field is taken by this hook (never "clicks" a focused button): on a
 * touch kiosk Enter comes from scanners. Buttons still answer Space.
 */
import { useEffect } from 'react';
import type { KioskApi } from '../../protocol/kiosk-api.ts';

/** The protocol's cap per call; a longer burst keeps its end (where a code's Enter is). */
const MAX_KEYS = 160;

export function useKeyboardWedge(api: KioskApi) {
  useEffect(() => {
    let keys: { key: string; at: number }[] = [];
    const onKey = (e: KeyboardEvent) => {
      // Typing into a field is the field's business (the search box handles its own Enter).
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) return;
      if (e.repeat || e.key.length > 32) return;
      keys.push({ key: e.key, at: e.timeStamp });
      if (keys.length > MAX_KEYS) keys = keys.slice(-MAX_KEYS);
      if (e.key !== 'Enter') return;
      e.preventDefault();
      const burst = keys;
      keys = [];
      void api.keyboardInput({ keys: burst }).catch(() => {});
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [api]);
}
