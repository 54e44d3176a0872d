/** The demo's lending rules (server/seed/demo.ts): valid, with a closed day ahead and a category rule. */
import { expect, it } from 'vitest';
import { DAY_MS, dueMoment, localDate, PolicySet, validatePolicies } from '../../protocol/index.ts';
import { check } from '../../protocol/validate.ts';
import { demoPolicies } from '../../server/seed/demo.ts';

it('the demo policies are valid, close a day a week from now, and limit members to one camera', () => {
  const now = Date.parse('2026-12-03T01:00:00.000Z');
  const parsed: unknown = JSON.parse(demoPolicies(now).body);
  expect(check(PolicySet, parsed)).toBe(true);
  const p = parsed as PolicySet;
  expect(validatePolicies(p)).toBeNull();
  const closed = localDate(now + 7 * DAY_MS, 'Asia/Seoul');
  expect(p.closedDays).toContain(closed);
  expect(p.rules).toContainEqual({ category: '카메라 Cameras', role: 'member', maxPerCategory: 1 });
  // A loan that would fall due on that day is due the next open day.
  expect(localDate(dueMoment(p, now + 7 * DAY_MS), 'Asia/Seoul')).not.toBe(closed);
});
