/**
 * Realistic synthetic child files for the benchmark: family situations in
 * roughly the proportions of a rural Hunan city (both parents working away in
 * Guangdong, grandparent carers, a few orphans, parents in custody or lost
 * contact, 低保 households), names from a surname/given-name pool, valid
 * GB 11643 ID numbers for most children. Deterministic for a given seed.
 */
import { computeCheckCharacter } from '../domain/children/id-number.js';
import type { ChildInput, ParentInput } from '../domain/children/schema.js';
import { addDays as slowAddDays } from '../domain/children/dates.js';

/** addDays for offsets from one anchor date, from a table (the generator calls it millions of times). */
const dayTables = new Map<string, string[]>();
function addDays(anchor: string, days: number): string {
  let table = dayTables.get(anchor);
  if (!table) {
    table = [];
    const base = Date.parse(`${anchor}T00:00:00Z`);
    for (let d = 0; d <= 20000; d++) table.push(new Date(base - d * 86400_000).toISOString().slice(0, 10));
    dayTables.set(anchor, table);
  }
  return days <= 0 && days >= -20000 ? table[-days]! : slowAddDays(anchor, days);
}

export type Random = () => number;

/** Surnames weighted roughly as in western Hunan (杨, 向, 舒, 田, 龙, 蒋 are common there). */
const SURNAMES: ReadonlyArray<readonly [string, number]> = [
  ['杨', 9], ['王', 7], ['李', 7], ['张', 6], ['刘', 6], ['陈', 5], ['向', 4], ['舒', 3], ['田', 3], ['龙', 3],
  ['蒋', 3], ['谭', 3], ['唐', 3], ['黄', 3], ['吴', 3], ['周', 2], ['胡', 2], ['邓', 2], ['曾', 2], ['彭', 2],
  ['肖', 2], ['罗', 2], ['梁', 1], ['谢', 1], ['石', 1], ['姚', 1], ['粟', 1], ['滕', 1], ['瞿', 1], ['米', 1],
];
const GIVEN_BOY = ['浩', '宇', '轩', '子', '俊', '杰', '涛', '明', '文', '博', '晨', '然', '睿', '泽', '阳', '鑫', '磊', '强', '志', '航', '凯', '鹏', '辰', '豪', '一', '佳', '思', '嘉', '天', '梓'];
const GIVEN_GIRL = ['欣', '怡', '雨', '萱', '思', '梓', '涵', '琪', '佳', '静', '婷', '雪', '悦', '彤', '诗', '颖', '丽', '芳', '嘉', '可', '馨', '妍', '晴', '语', '若', '一', '紫', '文', '心', '月'];
const ETHNICITIES: ReadonlyArray<readonly [string, number]> = [['汉族', 55], ['侗族', 18], ['苗族', 15], ['土家族', 6], ['瑶族', 4], ['白族', 2]];
const WORK_PLACES: ReadonlyArray<readonly [string, string]> = [
  ['广东省', '东莞市'], ['广东省', '深圳市'], ['广东省', '广州市'], ['广东省', '佛山市'], ['浙江省', '宁波市'], ['浙江省', '义乌市'],
  ['福建省', '厦门市'], ['江苏省', '苏州市'], ['湖南省', '长沙市'], ['上海市', '上海市'],
];
const EMPLOYERS = ['电子厂', '制衣厂', '建筑工地', '物流公司', '餐馆', '鞋厂', '家具厂', '玩具厂', null, null];
const GRADES = ['一年级', '二年级', '三年级', '四年级', '五年级', '六年级', '初一', '初二', '初三', '高一', '高二', '高三'];

function weighted<T>(random: Random, items: ReadonlyArray<readonly [T, number]>): T {
  let total = 0;
  for (const [, w] of items) total += w;
  let x = random() * total;
  for (const [v, w] of items) {
    x -= w;
    if (x < 0) return v;
  }
  return items[items.length - 1]![0];
}
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const chance = (random: Random, p: number) => random() < p;
const digits = (random: Random, n: number) => {
  let s = '';
  for (let i = 0; i < n; i++) s += String(Math.floor(random() * 10));
  return s;
};

export function childName(random: Random, sex: 'male' | 'female'): string {
  const pool = sex === 'male' ? GIVEN_BOY : GIVEN_GIRL;
  return weighted(random, SURNAMES) + pick(random, pool) + (chance(random, 0.8) ? pick(random, pool) : '');
}

/** A valid GB 11643 number: county code of the village, birth date, sequence with the sex digit. */
export function idNumberFor(random: Random, countyCode: string, birthDate: string, sex: 'male' | 'female'): string {
  const seq2 = digits(random, 2);
  const sexDigit = sex === 'male' ? 1 + 2 * Math.floor(random() * 5) : 2 * Math.floor(random() * 5);
  const first17 = `${countyCode}${birthDate.replaceAll('-', '')}${seq2}${sexDigit}`;
  return first17 + computeCheckCharacter(first17);
}

/** Phone numbers come from a bounded pool so that the generator can encrypt each once (see generate.ts). */
export function phoneFrom(random: Random, pool: readonly string[]): string {
  return pick(random, pool);
}

export function phonePool(random: Random, size: number): string[] {
  return Array.from({ length: size }, () => pick(random, ['138', '139', '150', '151', '158', '177', '186', '187', '199']) + digits(random, 8));
}

/** Parents' ID numbers come from a pool too (encrypted once each by the generator). */
const parentIdPools = new Map<string, { male: string[]; female: string[] }>();
function parentIds(today: string) {
  let pool = parentIdPools.get(today);
  if (!pool) {
    const r = (() => {
      let a = 7;
      return () => ((a = (Math.imul(a, 1103515245) + 12345) >>> 0) / 4294967296);
    })();
    const born = () => addDays(today, -(9000 + Math.floor(r() * 6000)));
    pool = {
      male: Array.from({ length: 10_000 }, () => idNumberFor(r, '431224', born(), 'male')),
      female: Array.from({ length: 10_000 }, () => idNumberFor(r, '431224', born(), 'female')),
    };
    parentIdPools.set(today, pool);
  }
  return pool;
}

interface Family {
  father: ParentInput;
  mother: ParentInput;
  caregiver: ChildInput['caregiver'];
}

function parentAt(status: ParentInput['status'], extra: Partial<ParentInput> = {}): ParentInput {
  return { status, skills: [], ...extra };
}

/** A family situation, in rough real proportions; `today` anchors the "since" dates. */
function family(random: Random, today: string, phones: readonly string[], surname: string): Family {
  const away = (): ParentInput => {
    const [province, city] = pick(random, WORK_PLACES);
    const months = 3 + Math.floor(random() * 96); // 3 months to 8 years; a few below the 6-month threshold
    return parentAt('working_away', {
      since: addDays(today, -months * 30),
      workProvince: province,
      workCity: city,
      employer: pick(random, EMPLOYERS),
      workAwayCrossesCounty: chance(random, 0.95),
      phone: phoneFrom(random, phones),
      skills: chance(random, 0.4) ? [pick(random, ['电工', '焊工', '厨师', '缝纫', '驾驶', '种植', '养殖', '泥瓦工'])] : [],
      wantsLocalWork: chance(random, 0.5) ? chance(random, 0.6) : null,
    });
  };
  const home = (): ParentInput => parentAt('at_home', { phone: chance(random, 0.8) ? phoneFrom(random, phones) : null });
  const x = random();
  let father: ParentInput;
  let mother: ParentInput;
  if (x < 0.42) [father, mother] = [away(), away()]; // both away: left-behind
  else if (x < 0.6) [father, mother] = [away(), home()];
  else if (x < 0.64) [father, mother] = [home(), away()];
  else if (x < 0.84) [father, mother] = [home(), home()];
  else if (x < 0.87) [father, mother] = [away(), parentAt(pick(random, ['seriously_ill', 'disabled'] as const), { disability: { type: pick(random, ['physical', 'intellectual', 'mental'] as const), grade: pick(random, [1, 2, 3, 4] as const) } })];
  else if (x < 0.89) [father, mother] = [parentAt('deceased', { since: addDays(today, -Math.floor(random() * 3000)) }), away()];
  else if (x < 0.905) [father, mother] = [parentAt('deceased'), parentAt('deceased')]; // orphan
  else if (x < 0.925) [father, mother] = [parentAt('imprisoned', { since: addDays(today, -Math.floor(random() * 1500)), until: addDays(today, 200 + Math.floor(random() * 2000)) }), parentAt(pick(random, ['lost_contact', 'deceased', 'missing'] as const), { since: addDays(today, -400) })];
  else if (x < 0.955) [father, mother] = [home(), parentAt('lost_contact', { since: addDays(today, -Math.floor(random() * 2500)) })];
  else if (x < 0.975) [father, mother] = [parentAt('compulsory_rehab', { since: addDays(today, -Math.floor(random() * 700)) }), home()];
  else [father, mother] = [home(), parentAt('unknown')];
  father.name = surname + pick(random, ['建', '国', '华', '军', '平', '勇', '强', '志', '海', '文']) + (chance(random, 0.7) ? pick(random, ['明', '军', '平', '林', '生', '发', '忠']) : '');
  mother.name = weighted(random, SURNAMES) + pick(random, ['秀', '桂', '丽', '红', '春', '玉', '小', '美']) + pick(random, ['英', '兰', '芳', '华', '梅', '琴', '娟', '霞']);
  if (chance(random, 0.3)) father.idNumber = pick(random, parentIds(today).male);
  if (chance(random, 0.3)) mother.idNumber = pick(random, parentIds(today).female);
  const bothGone = father.status !== 'at_home' && mother.status !== 'at_home';
  const caregiver: ChildInput['caregiver'] = bothGone
    ? {
        kind: weighted(random, [['grandparent', 75], ['relative', 12], ['entrusted', 6], ['institution', 3], ['alone', 4]] as const),
        name: pick(random, ['爷爷', '奶奶', '外婆', '外公', '伯父', '姑妈']),
        relation: pick(random, ['祖父母', '外祖父母', '亲属']),
        phone: chance(random, 0.7) ? phoneFrom(random, phones) : null,
        age: 55 + Math.floor(random() * 25),
        health: weighted(random, [['good', 5], ['fair', 4], ['poor', 1]] as const),
        capacity: weighted(random, [['good', 5], ['fair', 4], ['poor', 1]] as const),
      }
    : { kind: 'parent', capacity: weighted(random, [['good', 8], ['fair', 2]] as const) };
  return { father, mother, caregiver };
}

/** One child as the registration form would send it (regionCode excluded). */
export function childInput(random: Random, today: string, countyCode: string, phones: readonly string[]): Omit<ChildInput, 'regionCode'> {
  const sex = chance(random, 0.53) ? 'male' : 'female';
  const ageDays = 30 + Math.floor(random() * (18 * 365 - 60));
  const birthDate = addDays(today, -ageDays);
  const age = Math.floor(ageDays / 365.25);
  const name = childName(random, sex);
  const fam = family(random, today, phones, name.slice(0, 1));
  const status: ChildInput['schooling']['status'] =
    age < 6 ? 'preschool' : age < 15 ? (chance(random, 0.985) ? 'in_school' : 'dropped_out') : weighted(random, [['in_school', 85], ['dropped_out', 8], ['not_in_school', 7]] as const);
  const disabled = chance(random, 0.015);
  const ill = !disabled && chance(random, 0.01);
  return {
    name,
    sex,
    ethnicity: weighted(random, ETHNICITIES),
    birthDate,
    idNumber: chance(random, 0.92) ? idNumberFor(random, countyCode, birthDate, sex) : null, // some have no 户籍 / unknown
    hukouType: weighted(random, [['rural', 88], ['urban', 10], ['none', 2]] as const),
    hukouPlace: null,
    address: `${pick(random, ['一', '二', '三', '四', '五', '六'])}组${1 + Math.floor(random() * 60)}号`,
    father: fam.father,
    mother: fam.mother,
    caregiver: fam.caregiver,
    schooling: {
      status,
      school: status === 'in_school' ? `${pick(random, ['中心', '希望', '第一', '民族', '实验'])}${age < 12 ? '小学' : '中学'}` : null,
      grade: status === 'in_school' && age >= 6 ? GRADES[Math.min(11, age - 6)]! : null,
      boarding: status === 'in_school' && age >= 10 && chance(random, 0.4),
    },
    health: disabled
      ? { status: 'disabled', disability: { type: pick(random, ['physical', 'intellectual', 'hearing', 'visual', 'multiple'] as const), grade: pick(random, [1, 2, 3, 4] as const) }, certificate: `4312${digits(random, 14)}` }
      : ill
        ? { status: 'seriously_ill', illness: pick(random, ['白血病', '先天性心脏病', '肾病']) }
        : { status: 'healthy' },
    support: { dibao: chance(random, 0.07), tekun: chance(random, 0.01), temporaryRelief: chance(random, 0.02), orphanAllowance: fam.father.status === 'deceased' && fam.mother.status === 'deceased' },
    guardianship: { abuse: chance(random, 0.002), abandonment: chance(random, 0.002), improperCare: chance(random, 0.01) },
    temporaryDistress: chance(random, 0.005),
    notes: chance(random, 0.1) ? '家访时孩子情绪稳定，学习一般。' : null,
  };
}

/** Workflow status of a file. */
export function childStatus(random: Random): string {
  return weighted(random, [['active', 90], ['pending', 4], ['returned', 1], ['closing', 1], ['closed', 4]] as const);
}

export const CHILD_SURNAMES = SURNAMES.map(([s]) => s);
