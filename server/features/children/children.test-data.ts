/** Test data for child files, shared by the feature tests and the access-matrix walker. */
import { computeCheckCharacter } from '../../../domain/children/id-number.js';
import type { ChildInput } from '../../../domain/children/schema.js';

const VILLAGE = '431202001201';

/** A number written in Chinese digits (12 → 一二), for test names: a person's name holds no digits (domain/person-name.ts). */
export const hanDigits = (n: number) => String(n).replace(/\d/g, (d) => '〇一二三四五六七八九'[Number(d)]!);
export const idFor = (birth: string, seq: string) => {
  const first17 = `431202${birth.replaceAll('-', '')}${seq}`;
  return first17 + computeCheckCharacter(first17);
};

export function childInput(overrides: Partial<ChildInput> = {}): ChildInput {
  const away = { status: 'working_away' as const, since: '2025-02-01', skills: [], workProvince: '广东省', workCity: '东莞市', phone: '13812345678' };
  return {
    name: '王小明',
    sex: 'male',
    ethnicity: '侗族',
    birthDate: '2015-03-10',
    idNumber: idFor('2015-03-10', '123'),
    hukouType: 'rural',
    regionCode: VILLAGE,
    father: { ...away, name: '王大山' },
    mother: { ...away, name: '李秀英' },
    caregiver: { kind: 'grandparent', capacity: 'fair', name: '王奶奶', phone: '13900001111' },
    schooling: { status: 'in_school', school: '青西小学', grade: '五年级', boarding: false },
    health: { status: 'healthy' },
    support: { dibao: false, tekun: false, temporaryRelief: false, orphanAllowance: false },
    guardianship: { abuse: false, abandonment: false, improperCare: false },
    temporaryDistress: false,
    ...overrides,
  };
}

