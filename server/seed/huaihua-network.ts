/**
 * The Huaihua network (怀化市 431200000000): its 13 real county-level units,
 * 232 townships and 2,951 villages/communities. Names below county level are
 * synthetic; codes follow the statistical division rules (DESIGN §2):
 * streets 001–099, towns 100–199, townships 200–299; communities 001–199 and
 * villages 200–399 within a township.
 */
import type { RegionLevel } from '../../domain/regions.js';
import { pick, seededRandom } from './random.js';

export interface NetworkRegion {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
}

export const HUAIHUA = { code: '431200000000', name: '怀化市', province: { code: '430000000000', name: '湖南省' } } as const;

/** [code, name, townships, urban]: urban districts have streets (街道) and communities. */
export const HUAIHUA_COUNTIES: ReadonlyArray<readonly [string, string, number, boolean]> = [
  ['431202', '鹤城区', 15, true],
  ['431221', '中方县', 13, false],
  ['431222', '沅陵县', 25, false],
  ['431223', '辰溪县', 19, false],
  ['431224', '溆浦县', 30, false],
  ['431225', '会同县', 18, false],
  ['431226', '麻阳苗族自治县', 18, false],
  ['431227', '新晃侗族自治县', 12, false],
  ['431228', '芷江侗族自治县', 18, false],
  ['431229', '靖州苗族侗族自治县', 17, false],
  ['431230', '通道侗族自治县', 17, false],
  ['431271', '洪江区', 5, true],
  ['431281', '洪江市', 25, false],
];
export const TOTAL_TOWNSHIPS = 232;
export const TOTAL_VILLAGES = 2951;

const SYLLABLES = [
  '龙', '石', '溪', '江', '塘', '坪', '山', '桥', '岩', '田', '水', '竹', '枫', '桃', '花', '云', '凤', '安', '太', '平',
  '黄', '金', '银', '马', '牛', '青', '白', '红', '长', '新', '大', '小', '上', '下', '东', '西', '南', '北', '中', '高',
  '沙', '湾', '洲', '冲', '湖', '泉', '林', '茶', '松', '柳', '杨', '李', '陈', '罗', '盘', '岭', '坳', '垅', '寨', '堡',
];

function uniqueName(random: () => number, used: Set<string>, suffix: string): string {
  for (;;) {
    const name = pick(random, SYLLABLES) + pick(random, SYLLABLES) + suffix;
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
  }
}

/** Splits `total` into `parts` whole numbers between min and max, deterministically. */
function apportion(random: () => number, total: number, parts: number, min: number): number[] {
  const weights = Array.from({ length: parts }, () => 0.5 + random());
  const sum = weights.reduce((a, b) => a + b, 0);
  const spare = total - min * parts;
  const raw = weights.map((w) => (w / sum) * spare);
  const out = raw.map((r) => min + Math.floor(r));
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; left > 0; k = (k + 1) % parts, left--) out[order[k]![1]]! += 1;
  return out;
}

export function buildHuaihuaNetwork(): NetworkRegion[] {
  const random = seededRandom(431200);
  const regions: NetworkRegion[] = [
    { code: HUAIHUA.province.code, name: HUAIHUA.province.name, level: 'province', parentCode: null },
    { code: HUAIHUA.code, name: HUAIHUA.name, level: 'city', parentCode: HUAIHUA.province.code },
  ];
  const villagesPerTownship = apportion(random, TOTAL_VILLAGES, TOTAL_TOWNSHIPS, 6);
  let townshipIndex = 0;
  for (const [county, countyName, townships, urban] of HUAIHUA_COUNTIES) {
    const countyCode = `${county}000000`;
    regions.push({ code: countyCode, name: countyName, level: 'county', parentCode: HUAIHUA.code });
    const usedNames = new Set<string>();
    const streets = urban ? Math.ceil(townships / 2) : 1;
    for (let t = 0; t < townships; t++) {
      const isStreet = t < streets;
      const isTown = !isStreet && t < streets + Math.ceil((townships - streets) * 0.6);
      const ttt = isStreet ? 1 + t : isTown ? 101 + (t - streets) : 201 + t;
      const townshipCode = `${county}${String(ttt).padStart(3, '0')}000`;
      const suffix = isStreet ? '街道' : isTown ? '镇' : '乡';
      regions.push({ code: townshipCode, name: uniqueName(random, usedNames, suffix), level: 'township', parentCode: countyCode });
      const units = villagesPerTownship[townshipIndex++]!;
      // Streets are mostly communities; towns have one community; townships none.
      const communities = isStreet ? Math.min(units - 1, 2 + Math.floor(random() * 3)) : isTown ? 1 : 0;
      const villageNames = new Set<string>();
      for (let v = 0; v < units; v++) {
        const isCommunity = v < communities;
        const vvv = isCommunity ? 1 + v : 201 + (v - communities);
        regions.push({
          code: `${townshipCode.slice(0, 9)}${String(vvv).padStart(3, '0')}`,
          name: uniqueName(random, villageNames, isCommunity ? '社区' : '村'),
          level: 'village',
          parentCode: townshipCode,
        });
      }
    }
  }
  return regions;
}
