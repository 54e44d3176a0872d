/**
 * Kiosk hardening inside the page: no context menu, no pinch or ctrl zoom, no dragging
 * images out, no selection. CSS does the rest (styles.css); Electron's shell adds its own.
 */
import { useEffect } from 'react';

export function useKioskGuards(showCursor: boolean) {
  useEffect(() => {
    const stop = (e: Event) => e.preventDefault();
    const wheel = (e: WheelEvent) => {
      if (e.ctrlKey) e.preventDefault();
    };
    const keys = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && ['+', '-', '=', '0'].includes(e.key)) e.preventDefault();
    };
    document.addEventListener('contextmenu', stop);
    document.addEventListener('dragstart', stop);
    document.addEventListener('selectstart', stop);
    document.addEventListener('gesturestart', stop);
    document.addEventListener('wheel', wheel, { passive: false });
    document.addEventListener('keydown', keys);
    return () => {
      document.removeEventListener('contextmenu', stop);
      document.removeEventListener('dragstart', stop);
      document.removeEventListener('selectstart', stop);
      document.removeEventListener('gesturestart', stop);
      document.removeEventListener('wheel', wheel);
      document.removeEventListener('keydown', keys);
    };
  }, []);

  useEffect(() => {
    // The cursor is hidden on a touchscreen; the simulator (a developer with a mouse) shows it.
    document.documentElement.classList.toggle('show-cursor', showCursor);
  }, [showCursor]);
}
