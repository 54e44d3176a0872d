/** Whether this run is the long soak (`npm run test:soak`) rather than the short `npm test` version. */
export const SOAK = process.env.RELIABILITY_SOAK === '1';
