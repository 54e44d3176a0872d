/** The rules of a person's fields, shared by the server's edit route and the dashboard's forms. */
import { describe, expect, it } from 'vitest';
import { PERSON_FIELD_OF, checkPersonFields } from '../../protocol/index.ts';

describe('checkPersonFields', () => {
  it('trims text and turns an empty optional field into null', () => {
    expect(
      checkPersonFields({
        displayName: '  김민준 ',
        email: '  ',
        department: ' 연구개발팀 ',
        employeeNumber: '',
      }),
    ).toEqual({
      ok: true,
      edit: { displayName: '김민준', email: null, department: '연구개발팀', employeeNumber: null },
    });
    // Fields not in the edit stay out of it.
    expect(checkPersonFields({ email: 'a@b' })).toEqual({ ok: true, edit: { email: 'a@b' } });
  });

  it('names the first field that breaks its rule, with the code that says which rule', () => {
    const cases: [object, string, string][] = [
      [{ displayName: '' }, 'PERSON_NAME_INVALID', 'displayName'],
      [{ displayName: 'x'.repeat(201) }, 'PERSON_NAME_INVALID', 'displayName'],
      [{ email: 'minjun kim@example.com' }, 'EMAIL_INVALID', 'email'],
      [{ email: 'a@b@c' }, 'EMAIL_INVALID', 'email'],
      [{ email: `${'a'.repeat(250)}@b.co` }, 'EMAIL_INVALID', 'email'],
      [{ employeeNumber: '1'.repeat(51) }, 'EMPLOYEE_NUMBER_INVALID', 'employeeNumber'],
      [{ department: 'd'.repeat(101) }, 'DEPARTMENT_INVALID', 'department'],
    ];
    for (const [edit, code, field] of cases) {
      expect(checkPersonFields(edit), JSON.stringify(edit)).toEqual({ ok: false, code, field });
      // The dashboard puts the reason beside the same field.
      expect(PERSON_FIELD_OF[code as keyof typeof PERSON_FIELD_OF]).toBe(field);
    }
    expect(checkPersonFields({ displayName: 'x'.repeat(200), employeeNumber: '1'.repeat(50) }).ok).toBe(true);
  });
});
