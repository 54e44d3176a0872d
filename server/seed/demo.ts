/**
 * Demo data for `npm start` on a fresh data directory: an admin, a few members with badges,
 * a dozen items in a few categories. Names are Korean, as the first users write them.
 */
import { DAY_MS, credentialHint, localDate, type PolicySet } from '../../protocol/index.ts';
import { hashPassword } from '../auth/passwords.ts';
import type { ServerDeps } from '../deps.ts';
import type { StoredPolicies } from '../store/policy-store.ts';

export const DEMO_ADMIN = { email: 'admin@example.com', password: 'demo-admin-1234' };

export const DEMO_PEOPLE = [
  { displayName: '김민준', email: 'minjun@example.com', role: 'member', badge: 'nfc:04a1b2c3d4e5f6' },
  { displayName: '이서연', email: 'seoyeon@example.com', role: 'member', badge: 'nfc:04112233445566' },
  { displayName: '박지훈', email: 'jihoon@example.com', role: 'staff', badge: 'wiegand26:12:34567' },
  { displayName: '최유나', email: 'yuna@example.com', role: 'member', badge: 'kbd:1000234' },
] as const;

export const DEMO_ADMIN_BADGE = 'nfc:04deadbeef0001';

export const DEMO_ITEMS = [
  { tag: 'LT-001', name: 'MacBook Pro 14', category: '노트북 Laptops', loanDays: 7 },
  { tag: 'LT-002', name: 'MacBook Air 13', category: '노트북 Laptops', loanDays: 7 },
  { tag: 'LT-003', name: 'ThinkPad X1 Carbon', category: '노트북 Laptops', loanDays: 7 },
  {
    tag: 'LT-004',
    name: 'Dell XPS 15 (개발용)',
    category: '노트북 Laptops',
    loanDays: 14,
    restrictedTo: 'staff',
  },
  // A kit: the return screen asks which of its parts came back.
  {
    tag: 'CM-001',
    name: 'Sony A7 IV',
    category: '카메라 Cameras',
    loanDays: 3,
    parts: ['본체 Body', '배터리 1 Battery 1', '배터리 2 Battery 2', '충전기 Charger', '렌즈 Lens 24-70'],
  },
  { tag: 'CM-002', name: 'Canon EOS R6', category: '카메라 Cameras', loanDays: 3 },
  { tag: 'CM-003', name: 'GoPro HERO12', category: '카메라 Cameras', loanDays: 3 },
  { tag: 'TB-001', name: 'iPad Pro 12.9', category: '태블릿 Tablets', loanDays: 7 },
  { tag: 'TB-002', name: 'Galaxy Tab S9', category: '태블릿 Tablets', loanDays: 7 },
  {
    tag: 'LB-001',
    name: '오실로스코프 Oscilloscope',
    category: '실험 장비 Lab tools',
    loanDays: 1,
    restrictedTo: 'staff',
  },
  { tag: 'LB-002', name: '멀티미터 Multimeter', category: '실험 장비 Lab tools', loanDays: 2 },
  { tag: 'LB-003', name: '납땜 스테이션 Soldering station', category: '실험 장비 Lab tools', loanDays: 1 },
] as const;

/** The showcase's item that waits for a check. */
export const DEMO_NEEDS_CHECK = 'LT-003';

/**
 * Seed an empty store. Returns false (and changes nothing) if it already has people.
 * `showcase` (the demo a person tries, not the tests' fixture): one item already waits for a
 * check, as if it came back with a part missing, so the demo shows what that looks like;
 * a camera is reserved for a demo member from now (waiting to be picked up) and a tablet
 * for another tomorrow.
 */
export async function seedDemo(
  deps: Pick<ServerDeps, 'store' | 'hashBadge' | 'rosterHash'>,
  opts: { showcase?: boolean; now?: number } = {},
): Promise<boolean> {
  const { store, hashBadge } = deps;
  // Badges enter the offline roster once their roster hash is known (here, or at a first online
  // tap). The hint is what the dashboard shows of a badge; the label is left for the admin's own.
  const addBadge = (userId: string, credential: string) =>
    store.addBadgeWithHint(
      userId,
      {
        credentialHash: hashBadge(credential),
        rosterHash: deps.rosterHash(credential),
        hint: credentialHint(credential),
        label: null,
      },
      opts.now ?? Date.now(),
    );
  if (!(await store.isEmpty())) return false;
  const admin = await store.createUser({
    email: DEMO_ADMIN.email,
    displayName: '관리자 Admin',
    role: 'admin',
    active: true,
    passwordHash: await hashPassword(DEMO_ADMIN.password),
  });
  await addBadge(admin.id, DEMO_ADMIN_BADGE);
  for (const p of DEMO_PEOPLE) {
    const user = await store.createUser({
      email: p.email,
      displayName: p.displayName,
      role: p.role,
      active: true,
      passwordHash: null,
    });
    await addBadge(user.id, p.badge);
  }
  for (const item of DEMO_ITEMS) {
    const created = await store.createItem({
      tag: item.tag,
      name: item.name,
      category: item.category,
      loanDays: item.loanDays,
      restrictedTo: 'restrictedTo' in item ? item.restrictedTo : null,
      lockerSlot: null,
      parts: 'parts' in item ? [...item.parts] : [],
    });
    if (opts.showcase && item.tag === DEMO_NEEDS_CHECK)
      await store.setItemCondition({
        itemId: created.id,
        at: opts.now ?? Date.now(),
        condition: 'needs_check',
        report: 'incomplete',
        note: '충전기 없이 반납됨 Returned without its charger',
        by: { kind: 'user', name: '관리자 Admin' },
        txId: null,
      });
  }
  if (opts.showcase) {
    await store.putPolicies(demoPolicies(opts.now ?? Date.now()));
    await seedReservations(store, opts.now ?? Date.now(), admin.id);
  }
  return true;
}

/** The demo's reservations: whose, what (a tag or a category), from when, for how long. */
export const DEMO_RESERVATIONS = [
  // Waiting at the kiosk now: reserved for 김민준 from the moment the demo starts.
  { email: 'minjun@example.com', tag: 'CM-002', category: null, startInHours: 0, hours: 8 },
  // Tomorrow: any one tablet for 이서연.
  { email: 'seoyeon@example.com', tag: null, category: '태블릿 Tablets', startInHours: 24, hours: 6 },
] as const;

async function seedReservations(store: ServerDeps['store'], now: number, adminId: string) {
  for (const r of DEMO_RESERVATIONS) {
    const user = await store.findUserByEmail(r.email);
    const item = r.tag ? await store.findItemByTag(r.tag) : null;
    if (!user || (r.tag && !item)) continue;
    await store.insertReservation({
      itemId: item?.id ?? null,
      category: item ? null : r.category,
      userId: user.id,
      startsAt: now + r.startInHours * 3_600_000,
      endsAt: now + (r.startInHours + r.hours) * 3_600_000,
      createdBy: adminId,
      createdAt: now,
    });
  }
}

/**
 * The demo's lending rules: weekdays 09:00-18:00, a few holidays and a closed day a week from
 * now (so a loan's due date can be seen moving past it), one camera and one laptop at a time
 * for members, overdue items block new borrowing.
 */
export function demoPolicies(now: number): StoredPolicies {
  const tz = 'Asia/Seoul';
  const weekday = { open: '09:00', close: '18:00' };
  const policies: PolicySet = {
    timeZone: tz,
    hours: [null, weekday, weekday, weekday, weekday, weekday, null],
    closedDays: [
      ...new Set([localDate(now + 7 * DAY_MS, tz), '2026-12-25', '2027-01-01', '2027-02-08', '2027-03-01']),
    ].sort(),
    blockOverdue: true,
    default: { loanDays: null, maxItems: 5, maxPerCategory: null, maxRenewals: 2, mayBorrow: true },
    rules: [
      { category: '카메라 Cameras', role: 'member', maxPerCategory: 1 },
      { category: '노트북 Laptops', role: 'member', maxPerCategory: 1 },
      { category: null, role: 'staff', maxItems: 10 },
    ],
  };
  return { body: JSON.stringify(policies), updatedAt: now, updatedBy: '관리자 Admin' };
}
