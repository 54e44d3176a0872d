/** The core's current time, ticking once a second on this screen. */
import { useEffect, useState } from 'react';

export function useNow(offsetMs: number, everyMs = 1_000): number {
  const [now, setNow] = useState(() => Date.now() + offsetMs);
  useEffect(() => {
    setNow(Date.now() + offsetMs);
    const timer = setInterval(() => setNow(Date.now() + offsetMs), everyMs);
    return () => clearInterval(timer);
  }, [offsetMs, everyMs]);
  return now;
}
