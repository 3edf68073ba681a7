/**
 * Finding a child by the pinyin of its name (issue 12 point 9). What a user
 * may type, case-insensitive, spaces and apostrophes optional:
 *
 * - the initials: `wxm` finds 王晓明;
 * - the full pinyin, with or without spaces, or its beginning: `wangxiaoming`,
 *   `wang xiao ming`, `wangxiao`;
 * - a mix, each character in full or by its initial, in any order:
 *   `wangxm`, `wxming`, `wangxiaom`, `wxiaoming`.
 *
 * The last thing typed may be cut short (`wangxiaomi`); zh, ch and sh count as
 * initials too (`zhxm` for 张晓明). ü is typed v (吕 `lv`).
 * A letter is read as an initial only where no syllable of two letters or more
 * starts there: `wanming` is 万明 (wan ming), not 王安明 — typing `w an ming`
 * (a space) or `wam` finds him.
 *
 * Surnames are read as surnames (单 shan, 曾 zeng, 解 xie, 尉迟 yuchi: pinyin-pro's
 * surname mode). Each stored name keeps three spellings (spellName):
 * `pinyin` (wangxiaoming), `initials` (wxm) and `syllables`, each syllable in a
 * slot of SLOT letters padded with dots (`wang..xiao..ming..`). A query is read
 * into its possible readings (readingsOf); each reading is a prefix range on the
 * initials, which an index answers, and a LIKE pattern on the slots for the
 * syllables typed in full. The same readings decide matchesName here, so the
 * SQL (server/features/children/children.repository.ts) and this module agree.
 */
import { pinyin } from 'pinyin-pro';

/** Letters of one syllable's slot in `syllables`: the longest syllables (zhuang, shuang, chuang) fill it. */
export const SLOT = 6;
const PAD = '.';

/**
 * Mandarin syllables of two letters or more, without tones, ü as v: every
 * reading pinyin-pro gives a character of the CJK blocks (checked by
 * name-search.test.ts), less the interjections ng and hng.
 */
const SYLLABLES = new Set(
  [
    'ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai can cang cao ce cen ceng',
    'cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan chuang chui chun chuo ci cong cou',
    'cu cuan cui cun cuo da dai dan dang dao de dei den deng di dia dian diao die ding diu dong dou du duan dui',
    'dun duo ei en eng er fa fan fang fei fen feng fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua',
    'guai guan guang gui gun guo ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo',
    'ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke kei ken keng kong kou ku',
    'kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei leng li lia lian liang liao lie lin ling liu lo',
    'long lou lu luan lun luo lv lve ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu',
    'na nai nan nang nao ne nei nen neng ni nian niang niao nie nin ning niu nong nou nu nuan nuo nv nve ou pa pai',
    'pan pang pao pei pen peng pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin qing qiong qiu',
    'qu quan que qun ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo sa sai san sang sao se sen seng',
    'sha shai shan shang shao she shei shen sheng shi shou shu shua shuai shuan shuang shui shun shuo si song sou',
    'su suan sui sun suo ta tai tan tang tao te tei teng ti tian tiao tie ting tong tou tu tuan tui tun tuo wa wai',
    'wan wang wei wen weng wo wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan yang yao ye',
    'yi yin ying yo yong you yu yuan yue yun za zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhei',
    'zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo',
  ]
    .join(' ')
    .split(' '),
);
const LONGEST_SYLLABLE = 6;

export function isSyllable(s: string): boolean {
  return SYLLABLES.has(s);
}

// ---------------------------------------------------------------- the stored spellings

export interface NameSpelling {
  /** The syllables run together: wangxiaoming (the full-pinyin prefix search, duplicates, sorting). */
  pinyin: string;
  /** The first letter of each syllable: wxm. */
  initials: string;
  /** Each syllable in a slot of SLOT letters padded with dots: `wang..xiao..ming..`. */
  syllables: string;
}

const HAN = /\p{Script=Han}/u;
const LATIN = /^[a-z]$/;

/**
 * The syllables of a name, one per Chinese character (read as a name: the
 * surname in surname mode), a run of Latin letters as one word; the middle dot,
 * spaces and anything else separate. ü is written v.
 */
export function nameSyllables(name: string): string[] {
  const chars = Array.from(name.normalize('NFC'));
  const readings = pinyin(name.normalize('NFC'), { toneType: 'none', type: 'array', surname: 'head' });
  // pinyin-pro gives one item per character; should it ever not, each character is read alone.
  const readingOf = (i: number) => (readings.length === chars.length ? readings[i]! : pinyin(chars[i]!, { toneType: 'none', type: 'array' })[0] ?? chars[i]!);
  const out: string[] = [];
  let word = '';
  const endWord = () => {
    if (word) out.push(word);
    word = '';
  };
  chars.forEach((ch, i) => {
    const lower = ch.toLowerCase();
    if (LATIN.test(lower)) {
      word += lower;
      return;
    }
    endWord();
    if (!HAN.test(ch)) return;
    const reading = readingOf(i).toLowerCase().replaceAll('ü', 'v');
    if (/^[a-z]+$/.test(reading)) out.push(reading);
  });
  endWord();
  return out;
}

export function spellName(name: string): NameSpelling {
  const syllables = nameSyllables(name);
  return {
    pinyin: syllables.join(''),
    initials: syllables.map((s) => s[0]).join(''),
    syllables: syllables.map((s) => s.slice(0, SLOT).padEnd(SLOT, PAD)).join(''),
  };
}

// ---------------------------------------------------------------- reading a query

/** A query is read as pinyin when it holds only Latin letters, spaces and apostrophes (xi'an). */
export function isPinyinQuery(q: string): boolean {
  return /^[a-zA-ZüÜ\s']+$/.test(q.trim()) && /[a-zA-ZüÜ]/.test(q);
}

/** One way of reading a query: a prefix of the initials, and a LIKE pattern on the slots (null when only initials were typed). */
export interface NameReading {
  initials: string;
  pattern: string | null;
}

export interface NameQuery {
  /** The query without spaces: a prefix of the full pinyin (the plain case, and Latin names). */
  pinyin: string;
  readings: NameReading[];
}

/** Readings beyond this many (a long run of syllables read every way) are left out, the shortest readings kept. */
export const MAX_READINGS = 48;

type Piece = { kind: 'initial' | 'exact' | 'prefix'; text: string };

function slotOf(p: Piece): string {
  switch (p.kind) {
    case 'initial':
      return p.text + '_'.repeat(SLOT - 1);
    case 'exact':
      return p.text.padEnd(SLOT, PAD);
    case 'prefix':
      return p.text + '_'.repeat(SLOT - p.text.length);
  }
}

/**
 * The readings of a pinyin query (isPinyinQuery). Tokens (split at spaces and
 * apostrophes) are read one after the other; inside a token, at each letter,
 * every syllable of two letters or more that the rest begins with is a piece
 * typed in full; where none is, the letter is an initial. The very last piece
 * may be cut short (the beginning of a syllable). The reading of every letter
 * as an initial (`wa` for 吴爱) is always one of them.
 */
export function readNameQuery(q: string): NameQuery {
  const tokens = q
    .toLowerCase()
    .replaceAll('ü', 'v')
    .split(/[\s']+/)
    .filter((t) => /^[a-z]+$/.test(t));
  const joined = tokens.join('');
  const found: Piece[][] = [];
  const walk = (t: number, at: number, pieces: Piece[]) => {
    if (found.length >= MAX_READINGS * 4) return;
    if (t === tokens.length) {
      found.push([...pieces]);
      return;
    }
    const token = tokens[t]!;
    if (at === token.length) return walk(t + 1, 0, pieces);
    const rest = token.slice(at);
    const last = t === tokens.length - 1;
    let syllable = false;
    for (let n = Math.min(LONGEST_SYLLABLE, rest.length); n >= 2; n--) {
      const s = rest.slice(0, n);
      if (!SYLLABLES.has(s)) continue;
      syllable = true;
      // The end of what was typed may be the start of a longer syllable (mi… of ming).
      const kind = last && n === rest.length ? 'prefix' : 'exact';
      walk(t, at + n, [...pieces, { kind, text: s }]);
    }
    if (last && rest.length >= 2 && rest.length <= LONGEST_SYLLABLE && !SYLLABLES.has(rest) && [...SYLLABLES].some((s) => s.startsWith(rest))) {
      walk(t, token.length, [...pieces, { kind: 'prefix', text: rest }]);
    }
    // zh, ch, sh typed as an initial (zhxm for 张晓明) where no syllable of theirs goes on.
    const digraph = rest.slice(0, 2);
    if (/^[zcs]h$/.test(digraph) && ![...SYLLABLES].some((s) => s.length > 2 && s.startsWith(digraph) && rest.startsWith(s))) {
      walk(t, at + 2, [...pieces, { kind: 'prefix', text: digraph }]);
    }
    if (!syllable) walk(t, at + 1, [...pieces, { kind: 'initial', text: rest[0]! }]);
  };
  walk(0, 0, []);
  // Every letter an initial (a single letter cut short is its initial too).
  const all: Piece[] = [...joined].map((c) => ({ kind: 'initial', text: c }));
  const readings = new Map<string, NameReading>();
  const add = (pieces: Piece[]) => {
    const normal = pieces.map((p) => (p.kind === 'prefix' && p.text.length === 1 ? { kind: 'initial' as const, text: p.text } : p));
    const initials = normal.map((p) => p.text[0]).join('');
    const pattern = normal.every((p) => p.kind === 'initial') ? null : normal.map(slotOf).join('') + '%';
    readings.set(`${initials}|${pattern}`, { initials, pattern });
  };
  if (joined) add(all);
  for (const pieces of [...found].sort((a, b) => a.length - b.length)) {
    if (readings.size >= MAX_READINGS) break;
    // Syllables typed in full, the last perhaps cut short: that is a prefix of the full pinyin, searched as such
    // (read by its initials it would be a range on one letter, a tenth of the register, for `yang`).
    if (pieces.every((p, i) => p.kind === 'exact' || (i === pieces.length - 1 && p.kind === 'prefix' && p.text.length > 1))) continue;
    add(pieces);
  }
  return { pinyin: joined, readings: [...readings.values()] };
}

// ---------------------------------------------------------------- matching (the SQL's twin)

/** SQL LIKE without escapes: `_` one character, `%` any run. */
export function likeMatches(value: string, pattern: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replaceAll('_', '.').replaceAll('%', '.*')}$`, 's');
  return re.test(value);
}

/** Whether a stored spelling answers a query: what the repository's WHERE clause decides, in JavaScript. */
export function matchesName(spelling: NameSpelling, query: NameQuery): boolean {
  if (query.pinyin && spelling.pinyin.startsWith(query.pinyin)) return true;
  return query.readings.some((r) => spelling.initials.startsWith(r.initials) && (r.pattern === null || likeMatches(spelling.syllables, r.pattern)));
}
