/** What the dashboard shows of a badge (issue 13, item 8). */
import { expect, it } from 'vitest';
import { credentialHint } from '../../protocol/credentials.ts';

it('shows the kind and a short tail: two digits of a card number, four hex digits of a UID', () => {
  expect(credentialHint('wiegand26:12:3043')).toBe('wiegand26:…43');
  expect(credentialHint('wiegand37:1:12345678')).toBe('wiegand37:…78');
  expect(credentialHint('kbd:1000234')).toBe('kbd:…34');
  expect(credentialHint('nfc:04a1b2c3d4e5f6')).toBe('nfc:…e5f6');
});

it('leaves hundreds of Wiegand-26 card numbers per facility code, not a handful', () => {
  const hint = credentialHint('wiegand26:12:3043');
  let candidates = 0;
  for (let card = 0; card < 65_536; card++) if (credentialHint(`wiegand26:12:${card}`) === hint) candidates++;
  expect(candidates).toBeGreaterThanOrEqual(600);
});
