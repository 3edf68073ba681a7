/**
 * The demo population of child files (demo mode only): about 20,000 children
 * across the 2,951 villages, deterministic (seeded PRNG), with the mix a
 * Huaihua caseload shows — parents working away in the coastal provinces,
 * one parent away and the other ill or disabled, orphans, de-facto
 * unsupported children, dropouts, children without hukou, disabled children,
 * families on 低保 — and a share awaiting approval. Rows go through the same
 * rules, row builder and encryption as a registration, so categories, masks
 * and keyed hashes are real.
 */
import { localToday } from '../core/clock.js';
import { addYears } from '../../domain/children/age.js';
import { addDays } from '../../domain/children/dates.js';
import { computeCheckCharacter } from '../../domain/children/id-number.js';
import type { ChildInput, ParentInput } from '../../domain/children/schema.js';
import type { Deps } from '../core/deps.js';
import { newId } from '../core/ids.js';
import type { ChildChangeTable, ChildTable } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { audit } from '../features/audit/audit.service.js';
import { insertChildChangesBatch, insertChildrenBatch, listVillagesInScope } from '../features/children-import/children-import.repository.js';
import { NO_OVERRIDES, categoriesOf, factsOf, normaliseChild, type NormalisedChild } from '../features/children/child-file.js';
import { buildChildRow } from '../features/children/child-row.js';
import { categorySettings, scheduleSettings } from '../features/shared/stored-settings.js';
import { insertVisitsBatch } from '../features/visits/visits.repository.js';
import { HUAIHUA } from './huaihua-network.js';
import { planDemoLetters } from './demo-letters.js';
import { demoVisitActors, planDemoVisits } from './demo-visits.js';
import { pick, seededRandom } from './random.js';

export const DEMO_CHILDREN = 20_000;

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙胡朱向舒田龙杨蒲滕粟石姚唐米邓谭彭蒋梁罗宋'.split('');
const GIVEN_BOY = '浩宇轩子涵俊杰思博文睿豪明志强伟鹏辉航晨阳磊鑫'.split('');
const GIVEN_GIRL = '欣怡梓涵雨萱诗琪佳雪婷慧敏琳丽芳艳晓月静雯瑶'.split('');
const GIVEN_ADULT = '建国华明军平伟英红霞勇敏强艳娟辉涛琴春秀玲兰桂志海燕文'.split('');
const ETHNICITIES = ['汉族', '汉族', '汉族', '汉族', '侗族', '侗族', '苗族', '苗族', '土家族', '瑶族'];
const WORK_PLACES: [string, string[]][] = [
  ['广东省', ['东莞市', '深圳市', '广州市', '佛山市', '中山市', '惠州市']],
  ['广东省', ['东莞市', '深圳市', '广州市']],
  ['浙江省', ['杭州市', '宁波市', '义乌市', '温州市', '台州市']],
  ['福建省', ['厦门市', '泉州市', '福州市', '晋江市']],
  ['江苏省', ['苏州市', '南京市', '无锡市', '昆山市']],
  ['上海市', ['上海市']],
  ['湖南省', ['长沙市', '株洲市']],
  ['北京市', ['北京市']],
];
const ILLNESSES = ['白血病', '先天性心脏病', '肾病综合征', '癫痫', '重度贫血'];
const DISABILITY_TYPES = ['physical', 'visual', 'hearing', 'speech', 'intellectual', 'mental', 'multiple'] as const;
const GRADES = ['一年级', '二年级', '三年级', '四年级', '五年级', '六年级', '七年级', '八年级', '九年级', '高一', '高二', '高三'];

type Random = () => number;
type Parent = Omit<ParentInput, 'skills'> & { skills: string[] };

const chance = (random: Random, p: number) => random() < p;
const between = (random: Random, lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
const phone = (random: Random) => `1${pick(random, ['3', '5', '8'])}${String(between(random, 0, 999_999_999)).padStart(9, '0')}`;

export interface DemoChild {
  input: ChildInput;
  status: 'active' | 'pending';
}

/**
 * The population as registration inputs: pure and deterministic for a given
 * list of villages, day and count.
 */
export function buildDemoChildren(villages: readonly { code: string; name: string }[], today: string, count = DEMO_CHILDREN): DemoChild[] {
  const random = seededRandom(431200);
  const sequence = new Map<string, number>();
  const out: DemoChild[] = [];
  if (villages.length === 0) return out;

  const adultName = (surname: string) => surname + pick(random, GIVEN_ADULT) + (chance(random, 0.6) ? pick(random, GIVEN_ADULT) : '');
  const sinceDate = (birthDate: string, minMonths: number, maxYears: number) => {
    const earliest = birthDate > addYears(today, -maxYears) ? birthDate : addYears(today, -maxYears);
    const span = Math.max(0, Math.floor((Date.parse(addDays(today, -minMonths * 30)) - Date.parse(earliest)) / 86_400_000));
    return addDays(earliest, between(random, 0, span));
  };
  const home = (name: string): Parent => ({ name, status: 'at_home', phone: phone(random), skills: [] });
  const away = (name: string, birthDate: string): Parent => {
    const [province, cities] = pick(random, WORK_PLACES);
    return {
      name,
      status: 'working_away',
      since: sinceDate(birthDate, 7, 8),
      workProvince: province,
      workCity: pick(random, cities),
      phone: phone(random),
      skills: chance(random, 0.4) ? [pick(random, ['电工', '焊工', '厨师', '缝纫', '驾驶', '泥瓦工', '电子装配'])] : [],
      wantsLocalWork: chance(random, 0.35),
    };
  };
  const withoutCapacity = (name: string): Parent =>
    chance(random, 0.5)
      ? { name, status: 'seriously_ill', phone: phone(random), skills: [] }
      : { name, status: 'disabled', disability: { type: pick(random, DISABILITY_TYPES), grade: pick(random, [1, 2, 2, 3] as const) }, skills: [] };
  const restricted = (name: string, birthDate: string): Parent => {
    const kind = pick(random, ['imprisoned', 'imprisoned', 'lost_contact', 'compulsory_rehab', 'deceased', 'missing'] as const);
    if (kind === 'deceased' || kind === 'missing') return { name, status: kind, skills: [] };
    const since = sinceDate(birthDate, 8, 6);
    return { name, status: kind, since, ...(kind === 'lost_contact' ? {} : { until: addDays(today, between(random, 200, 2000)) }), skills: [] };
  };

  for (let i = 0; i < count; i++) {
    // Skewed towards the first villages of each township, as real caseloads are uneven.
    const village = villages[Math.floor(Math.pow(random(), 1.3) * villages.length)]!;
    const sex = chance(random, 0.52) ? 'male' : 'female';
    const birthDate = addDays(addYears(today, -17), between(random, 1, 16 * 365));
    const age = Math.floor((Date.parse(today) - Date.parse(birthDate)) / (365.25 * 86_400_000));
    const surname = pick(random, SURNAMES);
    const name = surname + pick(random, sex === 'male' ? GIVEN_BOY : GIVEN_GIRL) + (chance(random, 0.7) ? pick(random, sex === 'male' ? GIVEN_BOY : GIVEN_GIRL) : '');
    const fatherName = adultName(surname);
    const motherName = adultName(pick(random, SURNAMES));

    let father: Parent;
    let mother: Parent;
    let caregiverKind: ChildInput['caregiver']['kind'] = 'grandparent';
    const scenario = random();
    if (scenario < 0.42) {
      father = away(fatherName, birthDate);
      mother = away(motherName, birthDate);
    } else if (scenario < 0.52) {
      // One away, the other without capacity: still left-behind.
      const [a, b] = chance(random, 0.7) ? [away(fatherName, birthDate), withoutCapacity(motherName)] : [withoutCapacity(fatherName), away(motherName, birthDate)];
      father = a;
      mother = b;
    } else if (scenario < 0.67) {
      father = away(fatherName, birthDate);
      mother = home(motherName);
      caregiverKind = 'parent';
    } else if (scenario < 0.7) {
      father = { name: fatherName, status: 'deceased', skills: [] };
      mother = { name: motherName, status: 'deceased', skills: [] };
      caregiverKind = pick(random, ['grandparent', 'grandparent', 'relative', 'institution']);
    } else if (scenario < 0.735) {
      father = restricted(fatherName, birthDate);
      mother = restricted(motherName, birthDate);
      caregiverKind = pick(random, ['grandparent', 'relative', 'entrusted']);
    } else if (scenario < 0.76) {
      father = { name: fatherName, status: 'deceased', skills: [] };
      mother = away(motherName, birthDate);
    } else {
      father = home(fatherName);
      mother = home(motherName);
      caregiverKind = 'parent';
    }

    const hukouType = chance(random, 0.02) ? 'none' : chance(random, 0.1) ? 'urban' : 'rural';
    let idNumber: string | null = null;
    if (hukouType !== 'none' && !chance(random, 0.06)) {
      const prefix = `${village.code.slice(0, 6)}${birthDate.replaceAll('-', '')}`;
      const n = sequence.get(prefix) ?? between(random, 0, 40);
      sequence.set(prefix, n + 1);
      const first17 = `${prefix}${String(2 * (n % 500) + (sex === 'male' ? 1 : 0)).padStart(3, '0')}`;
      idNumber = first17 + computeCheckCharacter(first17);
    }

    const schoolStatus: ChildInput['schooling']['status'] =
      age < 6 ? 'preschool' : age < 16 ? (chance(random, 0.03) ? 'dropped_out' : chance(random, 0.015) ? 'not_in_school' : 'in_school') : chance(random, 0.15) ? 'dropped_out' : chance(random, 0.1) ? 'not_in_school' : 'in_school';
    const healthRoll = random();
    const health: ChildInput['health'] =
      healthRoll < 0.03
        ? { status: 'disabled', disability: { type: pick(random, DISABILITY_TYPES), grade: pick(random, [1, 2, 3, 4] as const) }, certificate: `残证${between(random, 100000, 999999)}` }
        : healthRoll < 0.055
          ? { status: 'seriously_ill', illness: pick(random, ILLNESSES) }
          : { status: 'healthy' };
    const poorHousehold = father.status !== 'working_away' && mother.status !== 'working_away';
    const villageShort = village.name.replace(/(村|社区)$/, '');
    const caregiverName = caregiverKind === 'parent' ? (mother.status === 'at_home' ? motherName : fatherName) : caregiverKind === 'institution' ? '怀化市儿童福利院' : adultName(surname);

    out.push({
      status: chance(random, 0.08) ? 'pending' : 'active',
      input: {
        name,
        sex,
        ethnicity: pick(random, ETHNICITIES),
        birthDate,
        idNumber,
        hukouType,
        hukouPlace: hukouType === 'none' ? null : `湖南省怀化市${villageShort}`,
        regionCode: village.code,
        address: `${village.name}${between(random, 1, 12)}组`,
        father: { ...father },
        mother: { ...mother },
        caregiver: {
          kind: caregiverKind,
          name: caregiverName,
          relation: caregiverKind === 'grandparent' ? pick(random, ['祖父', '祖母', '外祖父', '外祖母']) : caregiverKind === 'relative' ? pick(random, ['伯父', '姑姑', '舅舅', '姨妈']) : null,
          phone: caregiverKind === 'institution' ? null : phone(random),
          age: caregiverKind === 'grandparent' ? between(random, 55, 82) : caregiverKind === 'institution' ? null : between(random, 28, 55),
          health: pick(random, ['good', 'fair', 'fair', 'poor'] as const),
          capacity: caregiverKind === 'grandparent' ? pick(random, ['good', 'fair', 'fair', 'poor'] as const) : pick(random, ['good', 'good', 'fair'] as const),
        },
        schooling: {
          status: schoolStatus,
          school: schoolStatus === 'in_school' ? `${villageShort}${age < 12 ? '小学' : age < 15 ? '中学' : '高级中学'}` : null,
          grade: schoolStatus === 'in_school' ? (GRADES[Math.min(GRADES.length - 1, Math.max(0, age - 6))] ?? null) : null,
          boarding: schoolStatus === 'in_school' && age >= 12 && chance(random, 0.6),
        },
        health,
        support: {
          dibao: chance(random, poorHousehold || health.status !== 'healthy' ? 0.35 : 0.06),
          tekun: chance(random, father.status === 'deceased' && mother.status === 'deceased' ? 0.5 : 0.01),
          temporaryRelief: chance(random, 0.02),
          orphanAllowance: father.status === 'deceased' && mother.status === 'deceased',
        },
        guardianship: { abuse: chance(random, 0.003), abandonment: chance(random, 0.002), improperCare: chance(random, 0.01) },
        temporaryDistress: chance(random, 0.005),
        notes: null,
      },
    });
  }
  return out;
}

/** Seeds the population in one transaction (first start in demo mode). Returns how many files were written. */
export async function seedDemoChildren(deps: Deps, count = DEMO_CHILDREN): Promise<number> {
  const today = localToday(deps.clock);
  const now = deps.clock.now().toISOString();
  const villages = (await listVillagesInScope(deps.db, HUAIHUA.code)).sort((a, b) => (a.code < b.code ? -1 : 1));
  const demo = buildDemoChildren(villages, today, count);
  const directorRows = await deps.db.selectFrom('users').select(['id', 'region_code', 'display_name']).where('role', '=', 'director').execute();
  const directors = new Map(directorRows.map((u) => [u.region_code, u.id]));
  const letterActors = new Map(directorRows.map((u) => [u.region_code ?? '', { id: u.id, name: u.display_name }]));
  return inTransaction(deps.db, async (trx) => {
    const settings = await categorySettings(trx);
    const children: ChildTable[] = [];
    const changes: ChildChangeTable[] = [];
    const files: { row: ChildTable; child: NormalisedChild }[] = [];
    for (const { input, status } of demo) {
      const child = normaliseChild(input, today);
      const id = newId();
      const categories = categoriesOf(factsOf(child), today, settings, NO_OVERRIDES);
      const actorId = directors.get(input.regionCode) ?? null;
      const row = buildChildRow(child, input.regionCode, categories, settings, deps.crypto, { id, status, actorId, now });
      children.push(row);
      files.push({ row, child });
      changes.push({ id: newId(), child_id: id, region_code: input.regionCode, at: now, actor_id: actorId, actor_name: null, action: 'register', comment: '演示数据', changes: '[]' });
    }
    // A year of visits (demo-visits.ts): fills the children's schedule columns and opening dates before they are inserted.
    const visits = planDemoVisits(children, await demoVisitActors(trx), today, await scheduleSettings(trx));
    const openedAt = new Map(children.map((c) => [c.id, c.created_at]));
    for (const change of changes) change.at = openedAt.get(change.child_id) ?? change.at;
    // Guardianship letters (demo-letters.ts): set each file's letters_due before it is inserted.
    const letters = planDemoLetters(files, letterActors, today);
    await insertChildrenBatch(trx, children);
    await insertChildChangesBatch(trx, changes);
    await insertVisitsBatch(trx, deps.dialect, visits);
    for (let i = 0; i < letters.length; i += 1000) await trx.insertInto('guardianship_letters').values(letters.slice(i, i + 1000)).execute();
    await audit(trx, deps, null, { action: 'seed.demo_children', regionCode: HUAIHUA.code, details: { children: children.length, visits: visits.length, letters: letters.length } });
    return children.length;
  });
}
