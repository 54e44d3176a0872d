/** Whether this run is the long soak (`npm run test:soak`) rather than the short `npm test` version. */
export const SOAK = process.env.RELIABILITY_SOAK === '1';

/** Taps per kiosk and minute the suites' servers allow: the drivers tap far faster than people. */
export const FAST_TAPS = 100_000;
