/** Contract: the dashboard's people list, searched, filtered and in keyset pages by name. */
import { describe, expect, it } from 'vitest';
import type { PeopleListQuery } from '../../../../server/store/admin-store.ts';
import { T0, person, type StoreContext } from './fixtures.ts';

export function registerPeopleListContract(ctx: StoreContext): void {
  describe('people list (search, filters, keyset pages)', () => {
    async function staffRoom() {
      const { store } = ctx;
      const dir = (id: string, name: string, employeeNumber: string, department: string) =>
        store.createDirectoryUser(
          id,
          {
            displayName: name,
            email: `${id}@example.org`,
            active: true,
            userName: `${id}@example.org`,
            externalId: null,
            employeeNumber,
            department,
          },
          'member',
          T0,
        );
      await dir('usr_kim1', '김민준', 'E-1001', '물리학과');
      await dir('usr_kim2', '김민준', 'E-2002', '화학과');
      await person(store, 'Ann Lee', { role: 'staff' });
      await person(store, 'Bo', { role: 'admin' });
      await person(store, 'Cy', { active: false });
    }
    const names = async (q: Partial<PeopleListQuery>) =>
      (await ctx.store.peopleList({ status: 'active', limit: 50, ...q })).people.map(
        (p) => `${p.displayName}${p.department ? `/${p.department}` : ''}`,
      );

    it('searches name, email, employee number and department, in part and in any case', async () => {
      await staffRoom();
      expect(await names({ q: '민준' })).toEqual(['김민준/물리학과', '김민준/화학과']);
      expect(await names({ q: 'e-2002' })).toEqual(['김민준/화학과']);
      expect(await names({ q: '물리' })).toEqual(['김민준/물리학과']);
      expect(await names({ q: 'ANN' })).toEqual(['Ann Lee']);
      expect(await names({ q: 'usr_kim1@' })).toEqual(['김민준/물리학과']);
      expect(await names({ q: '%' })).toEqual([]);
    });

    it('filters by role and by active, and pages by name with the count', async () => {
      await staffRoom();
      expect(await names({ role: 'staff' })).toEqual(['Ann Lee']);
      expect(await names({ status: 'inactive' })).toEqual(['Cy']);
      expect(await names({})).toEqual(['Ann Lee', 'Bo', '김민준/물리학과', '김민준/화학과']);
      const first = await ctx.store.peopleList({ status: 'all', limit: 2 });
      expect([first.people.map((p) => p.displayName), first.total]).toEqual([['Ann Lee', 'Bo'], 5]);
      const second = await ctx.store.peopleList({ status: 'all', limit: 2, after: first.next });
      expect(second.people.map((p) => p.displayName)).toEqual(['Cy', '김민준']);
      const third = await ctx.store.peopleList({ status: 'all', limit: 2, after: second.next });
      expect([third.people.map((p) => p.displayName), third.next]).toEqual([['김민준'], null]);
    });
  });
}
