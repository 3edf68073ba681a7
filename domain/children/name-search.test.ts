import { pinyin } from 'pinyin-pro';
import { describe, expect, it } from 'vitest';
import { MAX_READINGS, isPinyinQuery, isSyllable, matchesName, readNameQuery, spellName } from './name-search.js';

/** Names and what a user types looking for them: each query must find the name, and must not find the others listed. */
const TABLE: { name: string; finds: string[]; misses: string[] }[] = [
  {
    name: '王晓明',
    finds: ['wxm', 'WXM', 'w', 'wx', 'wangxiaoming', 'wang xiao ming', 'WangXiaoMing', 'wangxiao', 'wangxiaomi', 'wangxm', 'wxming', 'wangxiaom', 'wxiaoming', 'wxiaom', 'w x ming', "wang'xiao'ming", 'wang xm', 'wangx'],
    misses: ['mjr', 'xm', 'wmx', 'wangxiaomingg', 'wxmx', 'wangxiaomeng', 'wanxm', 'xiaoming', 'wangming', 'wxmin g'],
  },
  { name: '米杰睿', finds: ['mjr', 'mj', 'mijierui', 'mi jie rui', 'mijr', 'mjierui', 'mjrui', 'mijie', 'MJR'], misses: ['wxm', 'mjx', 'mijieri', 'jr'] },
  // Polyphonic surnames read as surnames.
  { name: '单田芳', finds: ['stf', 'shantianfang', 'shantf', 'shan tian fang'], misses: ['dtf', 'dantianfang'] },
  { name: '曾小贤', finds: ['zxx', 'zengxiaoxian', 'zengxx', 'zxxian'], misses: ['cxx', 'cengxiaoxian'] },
  { name: '解晓东', finds: ['xxd', 'xiexiaodong', 'xiexd'], misses: ['jxd', 'jiexiaodong'] },
  { name: '尉迟恭', finds: ['ycg', 'yuchigong'], misses: ['wcg', 'weichigong'] },
  { name: '查良镛', finds: ['zly', 'zhaliangyong', 'zhly'], misses: ['cly', 'chaliangyong'] },
  { name: '仇英', finds: ['qy', 'qiuying'], misses: ['cy', 'chouying'] },
  // zh, ch, sh as initials; ü typed v.
  { name: '张晓明', finds: ['zxm', 'zhxm', 'zhangxm', 'zh'], misses: ['chxm', 'shxm'] },
  { name: '吕小红', finds: ['lxh', 'lvxiaohong', 'lvxh'], misses: ['luxiaohong'] },
  // A letter read as an initial only where no syllable starts: 万明 for wanming; 王安明 by its initials or with a space.
  { name: '万明', finds: ['wanming', 'wm', 'wanm'], misses: ['wam'] },
  { name: '王安明', finds: ['wam', 'w an ming', 'wanganming', 'wangam'], misses: ['wanming'] },
  { name: '吴爱', finds: ['wa', 'wuai', 'wua'], misses: ['wai'] },
  // Ambiguous full pinyin: 西安 is xi an, 先 is xian; both are found by the pinyin typed without spaces.
  { name: '李西安', finds: ['lixian', 'lxa', "li xi'an", 'lixa', 'lix'], misses: ['lixiang'] },
  { name: '李先', finds: ['lixian', 'lx'], misses: ['lxa'] },
  // Compound surnames and ethnic-minority names (the middle dot separates).
  { name: '欧阳娜娜', finds: ['oynn', 'ouyangnana', 'ouyangnn', 'oyn'], misses: ['ynn'] },
  { name: '阿依古丽·买买提', finds: ['ayglmmt', 'ayiguli', 'aygl', 'ayiguli maimaiti', 'ayglmaimaiti'], misses: ['aygm'] },
  // A transliterated name in Latin letters: its words.
  { name: 'Anna Li', finds: ['anna', 'annali', 'al', 'AL'], misses: ['li'] },
];

describe('pinyin name search (issue 12 point 9)', () => {
  for (const row of TABLE) {
    const spelling = spellName(row.name);
    it(`${row.name} (${spelling.pinyin} / ${spelling.initials}) is found by what its users type`, () => {
      for (const q of row.finds) expect(matchesName(spelling, readNameQuery(q)), `${q} should find ${row.name}`).toBe(true);
      for (const q of row.misses) expect(matchesName(spelling, readNameQuery(q)), `${q} should not find ${row.name}`).toBe(false);
    });
  }

  it('spells a name three ways: the pinyin run together, the initials, each syllable in a padded slot', () => {
    expect(spellName('王晓明')).toEqual({ pinyin: 'wangxiaoming', initials: 'wxm', syllables: 'wang..xiao..ming..' });
    expect(spellName('庄双')).toEqual({ pinyin: 'zhuangshuang', initials: 'zs', syllables: 'zhuangshuang' });
    expect(spellName('阿依古丽·买买提').initials).toBe('ayglmmt');
    expect(spellName('吕小红').pinyin).toBe('lvxiaohong');
    expect(spellName('Anna Li')).toEqual({ pinyin: 'annali', initials: 'al', syllables: 'anna..li....' });
  });

  it('reads only Latin letters, spaces and apostrophes as pinyin', () => {
    expect(isPinyinQuery('wxm')).toBe(true);
    expect(isPinyinQuery("xi'an")).toBe(true);
    expect(isPinyinQuery(' wang xiao ')).toBe(true);
    expect(isPinyinQuery('王xm')).toBe(false);
    expect(isPinyinQuery('430')).toBe(false);
    expect(isPinyinQuery("' '")).toBe(false);
  });

  it('keeps the readings of a long query bounded', () => {
    for (const q of ['zhuangzhuangzhuangzhuang', 'shuangshuangshuang', 'a'.repeat(50), 'wangxiaomingwangxiaoming']) {
      const read = readNameQuery(q);
      expect(read.readings.length, q).toBeLessThanOrEqual(MAX_READINGS);
      // Every letter an initial is always one of them.
      expect(read.readings.some((r) => r.pattern === null && r.initials === q)).toBe(true);
    }
  });

  it('reads a query into ranges on two initials or more (a one-letter range would read a tenth of the register): syllables typed in full are the full-pinyin prefix', () => {
    for (const q of ['yang', 'wang', 'zhang', 'wangxiaoming', 'wang xiao ming', 'wangxm', 'wxm', 'xian', 'shuang', 'ouyang']) {
      const read = readNameQuery(q);
      expect(read.readings.filter((r) => r.initials.length < 2), q).toEqual([]);
      expect(read.pinyin).toBe(q.replaceAll(' ', ''));
    }
    expect(readNameQuery('yang').readings.map((r) => r.initials).sort()).toEqual(['yang', 'yg', 'yng']);
  });

  it('knows every syllable pinyin-pro gives a character (CJK Unified Ideographs)', () => {
    const missing = new Set<string>();
    for (let c = 0x4e00; c <= 0x9fff; c++) {
      for (const s of pinyin(String.fromCodePoint(c), { toneType: 'none', type: 'array', multiple: true })) {
        const v = s.replaceAll('ü', 'v');
        if (/^[a-z]{2,}$/.test(v) && !isSyllable(v) && v !== 'ng' && v !== 'hng') missing.add(v);
      }
    }
    expect([...missing]).toEqual([]);
  });
});
