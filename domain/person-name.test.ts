import { describe, expect, it } from 'vitest';
import { isPersonName, normalisePersonName, personName } from './person-name.js';

describe('a person’s name', () => {
  it.each([
    ['王小明', '王小明'],
    ['欧阳娜娜', '欧阳娜娜'],
    ['扎西顿珠', '扎西顿珠'],
    ['阿依古丽·买买提', '阿依古丽·买买提'],
    ['阿依古丽•买买提', '阿依古丽·买买提'], // bullet
    ['阿依古丽・买买提', '阿依古丽·买买提'], // katakana middle dot
    ['阿依古丽･买买提', '阿依古丽·买买提'], // half-width katakana middle dot
    ['阿依古丽.买买提', '阿依古丽·买买提'], // a full stop typed between Chinese characters
    ['阿依古丽．买买提', '阿依古丽·买买提'],
    ['阿依古丽 · 买买提', '阿依古丽·买买提'],
    ['努尔艾力·阿卜杜热合曼·吐尔逊', '努尔艾力·阿卜杜热合曼·吐尔逊'],
    ['𠀀𪚥', '𠀀𪚥'], // CJK extension B
    ['龑', '龑'],
    ['䶮', '䶮'], // extension A
    ['王 小明', '王 小明'],
    ['王\u3000小明', '王 小明'], // full-width space
    ['  王小明  ', '王小明'],
    ['\t王小明\r\n', '王小明'], // blanks around are dropped, not stored
    ['Anna-Maria', 'Anna-Maria'],
    ['Anna‐Maria', 'Anna-Maria'], // U+2010 hyphen
    ["O'Brien", "O'Brien"],
    ['O’Brien', "O'Brien"],
    ['José Núñez', 'José Núñez'],
    ['Jose\u0301', 'José'], // combining accent, composed
    ['Zoë  Müller', 'Zoë Müller'],
    ['李Anna', '李Anna'],
  ])('%j passes (stored as %j)', (input, stored) => {
    expect(isPersonName(input)).toBe(true);
    expect(normalisePersonName(input)).toBe(stored);
  });

  it.each([
    '=HYPERLINK("http://evil.example","点击")',
    '+SUM(1,1)',
    '-王小明',
    '@王小明',
    '=1+1',
    '＝1+1',
    '王小明1',
    '123',
    '王小明@qq.com',
    'Anna--Maria',
    '·买买提',
    '阿依古丽·',
    "'王小明",
    '王小明-',
    '王(小明)',
    '王小明；',
    'J.K.Rowling',
    '王\u200B小明', // zero-width space
    '\uE000', // private use
    '😀',
    '',
    '   ',
  ])('%j is refused', (input) => {
    expect(isPersonName(input)).toBe(false);
  });

  it('refuses through the API schema with the reason person_name', () => {
    const result = personName(50).safeParse('=HYPERLINK("x")');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('person_name');
    expect(personName(50).safeParse('阿依古丽·买买提').success).toBe(true);
  });
});
