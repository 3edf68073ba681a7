/**
 * Guardianship letters (DESIGN §5): which letters a child file needs, whether
 * a signed one still holds, and the duties the printed letter states.
 *
 * Policy (Minors Protection Law arts. 15–23; 国发〔2016〕13号 on left-behind
 * children):
 * - the guardian responsibility letter (监护人责任书) is signed by the parent or
 *   guardian of every child in the register;
 * - the entrusted guardianship letter (委托监护责任书) is also needed when the
 *   child's daily carer is not a parent or an institution — a grandparent, a
 *   relative, an entrusted adult — or when the child lives alone (the parents
 *   must then entrust someone: art. 21 forbids a child under 16 living alone);
 * - both letters name the carer, so a letter signed for one carer no longer
 *   holds once the file records another: it must be renewed (换签).
 */

export const LETTER_KINDS = ['guardian', 'entrusted'] as const;
export type LetterKind = (typeof LETTER_KINDS)[number];

/** A needed letter: signed for the current carer, signed for an earlier carer (to renew), or never signed. */
export const LETTER_STATES = ['signed', 'renewal', 'missing'] as const;
export type LetterState = (typeof LETTER_STATES)[number];

/** Carer kinds for whom the parents must sign an entrusted guardianship letter. */
const ENTRUSTED_CARERS: ReadonlySet<string> = new Set(['grandparent', 'relative', 'entrusted', 'alone']);

export interface CarerFacts {
  kind: string;
  name: string | null;
  relation: string | null;
}

/** The letters a file needs, guardian letter first. */
export function lettersNeeded(carer: Pick<CarerFacts, 'kind'>): LetterKind[] {
  return ENTRUSTED_CARERS.has(carer.kind) ? ['guardian', 'entrusted'] : ['guardian'];
}

/** Who the carer is, as a letter remembers it: a change of kind, name or relation means another carer. */
export function carerKey(carer: CarerFacts): string {
  const clean = (s: string | null) => (s ?? '').replace(/\s+/g, '');
  return `${carer.kind}|${clean(carer.name)}|${clean(carer.relation)}`;
}

export interface SignedLetter {
  kind: LetterKind;
  carerKey: string;
}

/** The state of one needed letter against the letters signed so far. */
export function letterState(kind: LetterKind, carer: CarerFacts, signed: readonly SignedLetter[]): LetterState {
  const ofKind = signed.filter((l) => l.kind === kind);
  if (ofKind.length === 0) return 'missing';
  const key = carerKey(carer);
  return ofKind.some((l) => l.carerKey === key) ? 'signed' : 'renewal';
}

/** How many of the needed letters are not signed for the current carer (0 = covered). */
export function lettersDue(carer: CarerFacts, signed: readonly SignedLetter[]): number {
  return lettersNeeded(carer).filter((kind) => letterState(kind, carer, signed) !== 'signed').length;
}

/** Signed on paper: not in the future, and not before the child was born. */
export function signingDateProblem(signedOn: string, today: string, birthDate: string): 'future_date' | 'before_birth' | null {
  if (signedOn > today) return 'future_date';
  if (signedOn < birthDate) return 'before_birth';
  return null;
}

// ---------------------------------------------------------------- the printed text

export interface LetterClause {
  /** The article of the Minors Protection Law (2020) the clause restates. */
  article: number;
  text: string;
}

/**
 * The duties both letters state (restating arts. 15–21 of the Minors
 * Protection Law in plain words; the printed letter is a Chinese legal form
 * in either interface language).
 */
export const GUARDIAN_DUTIES: readonly LetterClause[] = [
  { article: 15, text: '学习家庭教育知识，接受家庭教育指导，营造和睦、文明的家庭环境。' },
  {
    article: 16,
    text: '保障儿童的生活、健康和安全；关注其身心状况和情感需求；教育引导其遵纪守法、养成良好品德和习惯；进行安全教育；保障适龄儿童接受并完成义务教育；保障休息、娱乐和体育锻炼；妥善管理和保护儿童财产；预防和制止不良行为。',
  },
  {
    article: 17,
    text: '不虐待、遗弃、非法送养儿童，不实施家庭暴力；不放任或迫使儿童失学、辍学；不放任其沉迷网络、吸烟饮酒、赌博、流浪乞讨或欺凌他人；不允许或迫使儿童从事国家规定以外的劳动，不为其订立婚约；不侵占儿童财产。',
  },
  { article: 18, text: '提供安全的家庭生活环境，及时排除触电、烫伤、跌落等隐患；教育儿童遵守交通规则；提高户外安全意识，防范溺水、动物伤害等事故。' },
  { article: 19, text: '作出与儿童权益有关的决定前，按其年龄和智力听取儿童的意见，充分考虑其真实意愿。' },
  { article: 20, text: '发现儿童身心健康受到或疑似受到侵害的，及时了解情况并采取保护措施；情况严重的，立即向公安、民政、教育等部门报告。' },
  { article: 21, text: '不使未满八周岁或需要特别照顾的儿童处于无人看护状态，不将其交由不适宜的人员临时照护；不使未满十六周岁的儿童脱离监护单独生活。' },
];

/** What the parents working away and the entrusted carer undertake as well (arts. 22–23). */
export const ENTRUSTED_DUTIES: readonly LetterClause[] = [
  {
    article: 22,
    text: '父母因外出务工等原因不能完全履行监护职责的，委托具有照护能力的完全民事行为能力人代为照护；被委托人没有性侵害、虐待、遗弃、暴力伤害等违法犯罪记录，没有吸毒、酗酒、赌博等恶习，未曾拒不或长期怠于履行照护职责。',
  },
  {
    article: 23,
    text: '父母将委托照护情况书面告知儿童所在学校（幼儿园）和村（居）民委员会；与儿童、被委托人至少每周联系和交流一次，了解儿童的生活、学习和心理情况，给予亲情关爱；接到儿童心理、行为异常的通知后，及时采取干预措施。',
  },
  { article: 22, text: '被委托人履行日常照护职责，保障儿童的生活、安全和学习，发现异常情况及时告知父母、儿童主任和学校。' },
];
