import { describe, expect, it } from 'vitest';
import { personNameRule } from './person-name-rule.js';

const t = ((key: string) => key) as Parameters<typeof personNameRule>[0];

describe('the form’s person-name rule', () => {
  const rule = personNameRule(t);
  it.each(['阿依古丽·买买提', '欧阳娜娜', 'Anna-Maria', '', undefined])('lets %j through', async (value) => {
    await expect(rule.validator(null, value)).resolves.toBeUndefined();
  });
  it.each(['=HYPERLINK("x")', '+SUM(1,1)', '王小明2', '@王'])('refuses %j with the name message', async (value) => {
    await expect(rule.validator(null, value)).rejects.toThrow('form.personName');
  });
});
