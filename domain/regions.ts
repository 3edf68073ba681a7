/**
 * Administrative divisions (统计用区划代码): `PP CC DD TTT VVV`.
 * A region's subtree is every code sharing its significant prefix, so a scope
 * test is a half-open text range — no recursion, no joins.
 */
export const REGION_LEVELS = ['province', 'city', 'county', 'township', 'village'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

const PREFIX_LENGTH: Record<RegionLevel, number> = {
  province: 2,
  city: 4,
  county: 6,
  township: 9,
  village: 12,
};

export function isRegionCode(code: string): boolean {
  return /^\d{12}$/.test(code);
}

export function regionLevel(code: string): RegionLevel {
  if (code.slice(9, 12) !== '000') return 'village';
  if (code.slice(6, 9) !== '000') return 'township';
  if (code.slice(4, 6) !== '00') return 'county';
  if (code.slice(2, 4) !== '00') return 'city';
  return 'province';
}

/** The significant prefix of a code: '431202' for a county, '431202001' for a township. */
export function regionPrefix(code: string): string {
  return code.slice(0, PREFIX_LENGTH[regionLevel(code)]);
}

/** The first string after every string that starts with `prefix` ('431202' → '431203'). */
export function prefixUpperBound(prefix: string): string {
  const digits = prefix.split('');
  for (let i = digits.length - 1; i >= 0; i--) {
    if (digits[i] !== '9') {
      digits[i] = String(Number(digits[i]) + 1);
      return digits.join('');
    }
    digits[i] = '0';
  }
  // Every digit was 9: the bound is past all digit strings.
  return prefix + ':';
}

/** Half-open range [from, to) of 12-digit codes in the subtree of `code`. */
export function subtreeRange(code: string): { from: string; to: string } {
  const prefix = regionPrefix(code);
  return { from: prefix.padEnd(12, '0'), to: prefixUpperBound(prefix).padEnd(12, '0') };
}

export function isWithinRegion(code: string, scopeCode: string): boolean {
  return code.startsWith(regionPrefix(scopeCode));
}

export function parentRegionCode(code: string): string | null {
  switch (regionLevel(code)) {
    case 'village':
      return code.slice(0, 9) + '000';
    case 'township':
      return code.slice(0, 6) + '000000';
    case 'county':
      return code.slice(0, 4) + '00000000';
    case 'city':
      return code.slice(0, 2) + '0000000000';
    case 'province':
      return null;
  }
}

/** Codes from the top of the hierarchy down to `code`, inclusive. */
export function ancestorCodes(code: string): string[] {
  const chain: string[] = [];
  for (let c: string | null = code; c; c = parentRegionCode(c)) chain.unshift(c);
  return chain;
}
