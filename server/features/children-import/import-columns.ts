/**
 * The roster spreadsheet (花名册): its columns, the words allowed in each, and
 * how a cell becomes a value of `ChildInput`. One table serves the template,
 * the importer, the error report and the export, so they cannot drift apart.
 */
import type { Locale } from '../../../domain/locale.js';
import {
  CAPACITY,
  CAREGIVER_KINDS,
  DISABILITY_TYPES,
  HEALTH_STATUSES,
  HUKOU_TYPES,
  PARENT_STATUSES,
  SCHOOL_STATUSES,
  SEXES,
} from '../../../domain/children/schema.js';
import { serialToIsoDate, type XlsxCell } from './xlsx-reader.js';

/** [zh-CN label, en-US label, further accepted spellings…]; the code itself is always accepted too. */
type Labels<T extends string> = Record<T, readonly [string, string, ...string[]]>;

export const SEX_LABELS: Labels<(typeof SEXES)[number]> = { male: ['男', 'male', '男性'], female: ['女', 'female', '女性'] };
export const HUKOU_LABELS: Labels<(typeof HUKOU_TYPES)[number]> = {
  rural: ['农村', 'rural', '农业', '农业户口', '农村户籍', '农村户口'],
  urban: ['城镇', 'urban', '非农业', '非农业户口', '城镇户籍', '城镇户口', '居民户口'],
  none: ['无户籍', 'none', '无', '未落户', '无户口'],
};
export const PARENT_STATUS_LABELS: Labels<(typeof PARENT_STATUSES)[number]> = {
  at_home: ['在家', 'at home', '在家务农', '在本地'],
  working_away: ['外出务工', 'working away', '外出', '务工', '外出打工'],
  deceased: ['死亡', 'deceased', '已故', '去世', '亡故'],
  missing: ['宣告失踪', 'declared missing', '失踪'],
  imprisoned: ['服刑在押', 'in prison or custody', '服刑', '在押', '羁押', '服刑人员'],
  compulsory_rehab: ['强制隔离戒毒', 'compulsory rehabilitation', '戒毒', '强制戒毒'],
  lost_contact: ['失联', 'lost contact', '失去联系'],
  seriously_ill: ['重病', 'seriously ill', '患重病', '大病'],
  disabled: ['重残', 'disabled', '残疾', '重度残疾'],
  unknown: ['不详', 'unknown', '未知', '不清楚'],
};
export const DISABILITY_LABELS: Labels<(typeof DISABILITY_TYPES)[number]> = {
  physical: ['肢体', 'physical', '肢体残疾'],
  visual: ['视力', 'visual', '视力残疾'],
  hearing: ['听力', 'hearing', '听力残疾'],
  speech: ['言语', 'speech', '言语残疾'],
  intellectual: ['智力', 'intellectual', '智力残疾'],
  mental: ['精神', 'mental', '精神残疾'],
  multiple: ['多重', 'multiple', '多重残疾'],
};
export const CAREGIVER_LABELS: Labels<(typeof CAREGIVER_KINDS)[number]> = {
  parent: ['父母', 'parent', '父亲', '母亲', '父或母'],
  grandparent: ['祖父母', 'grandparent', '外祖父母', '（外）祖父母', '爷爷奶奶', '祖辈'],
  relative: ['其他亲属', 'relative', '亲属', '亲戚'],
  entrusted: ['委托照护人', 'entrusted carer', '委托监护人', '受委托人'],
  institution: ['机构', 'institution', '福利机构', '儿童福利机构'],
  alone: ['无人照料', 'alone', '独居', '自己'],
};
export const CAPACITY_LABELS: Labels<(typeof CAPACITY)[number]> = {
  good: ['好', 'good', '良好', '较好'],
  fair: ['一般', 'fair', '中'],
  poor: ['差', 'poor', '较差', '无'],
};
export const SCHOOL_LABELS: Labels<(typeof SCHOOL_STATUSES)[number]> = {
  in_school: ['在校', 'in school', '在读', '在学'],
  dropped_out: ['辍学', 'dropped out'],
  not_in_school: ['不在学', 'not in school', '未入学', '失学', '未就学'],
  preschool: ['学龄前', 'preschool', '学前', '幼儿园'],
};
export const HEALTH_LABELS: Labels<(typeof HEALTH_STATUSES)[number]> = {
  healthy: ['健康', 'healthy', '良好'],
  seriously_ill: ['重病', 'seriously ill', '患病', '大病', '重大疾病'],
  disabled: ['残疾', 'disabled'],
};
const BOOL_LABELS: Labels<'true' | 'false'> = { true: ['是', 'yes', '有', 'Y', 'TRUE', '1', '√'], false: ['否', 'no', '无', 'N', 'FALSE', '0', '×'] };
const GRADE_LABELS: Labels<'1' | '2' | '3' | '4'> = { '1': ['一级', 'grade 1', '1级'], '2': ['二级', 'grade 2', '2级'], '3': ['三级', 'grade 3', '3级'], '4': ['四级', 'grade 4', '4级'] };

export function labelOf<T extends string>(labels: Labels<T>, code: T, locale: Locale): string {
  return labels[code][locale === 'en-US' ? 1 : 0];
}

function lookupTable<T extends string>(labels: Labels<T>): Map<string, T> {
  const map = new Map<string, T>();
  for (const [code, words] of Object.entries(labels) as [T, readonly string[]][]) {
    for (const w of [code, ...words]) map.set(w.toLowerCase(), code);
  }
  return map;
}

/** Why a cell could not be read: a key of VALIDATION_REASONS, with message parameters. */
export interface CellProblem {
  reason: string;
  params?: Record<string, string>;
}
type Parsed = { value: unknown } | { problem: CellProblem };

type Kind =
  | { kind: 'text' }
  | { kind: 'id' }
  | { kind: 'code' }
  | { kind: 'date' }
  /** A date, or a month when the day is not known ('YYYY-MM'). */
  | { kind: 'since' }
  | { kind: 'int' }
  | { kind: 'bool'; nullable: boolean }
  | { kind: 'list' }
  | { kind: 'choice'; labels: Labels<string>; table: Map<string, string>; numeric?: boolean };

export interface ImportColumn {
  /** Header in the template (zh-CN, as civil-affairs forms are). */
  header: string;
  /** Other headers accepted for this column. */
  aliases?: readonly string[];
  /** Path in ChildInput. */
  field: string;
  en: string;
  /** Marked as required in the template (the schema decides). */
  required?: boolean;
  help: string;
  example: string | number | null;
  width: number;
  type: Kind;
}

const choice = (labels: Labels<string>, numeric = false): Kind => ({ kind: 'choice', labels, table: lookupTable(labels), numeric });
const text: Kind = { kind: 'text' };

const allowed = (labels: Labels<string>) => Object.values(labels).map((l) => l[0]).join('/');

function parentColumns(role: 'father' | 'mother', zh: '父亲' | '母亲', en: 'Father' | 'Mother', example: 'away' | 'ill'): ImportColumn[] {
  const away = example === 'away';
  return [
    { header: `${zh}姓名`, field: `${role}.name`, en: `${en}'s name`, help: '', example: away ? '王大山' : '李秀英', width: 10, type: text },
    { header: `${zh}身份证号`, field: `${role}.idNumber`, en: `${en}'s ID number`, help: '18 位，请以文本格式填写', example: null, width: 21, type: { kind: 'id' } },
    {
      header: `${zh}状态`,
      field: `${role}.status`,
      en: `${en}'s status`,
      required: true,
      help: allowed(PARENT_STATUS_LABELS),
      example: away ? '外出务工' : '重病',
      width: 12,
      type: choice(PARENT_STATUS_LABELS),
    },
    {
      header: `${zh}状态起始日期`,
      aliases: [`${zh}外出起始日期`, `${zh}外出时间`, `${zh}离家日期`],
      field: `${role}.since`,
      en: `${en}'s status since`,
      help: `外出务工（离家）、失联、服刑、戒毒等开始的日期，如 2024-03-01；只知年月可填 2024-03。外出务工而日期不详，在“${zh}离家超过六个月（日期不详）”列填“是”`,
      example: away ? '2024-02-15' : null,
      width: 14,
      type: { kind: 'since' },
    },
    {
      header: `${zh}离家超过六个月（日期不详）`,
      aliases: [`${zh}离家超过六个月`],
      field: `${role}.sinceUnknown`,
      en: `${en} away over six months, date unknown`,
      help: `外出务工而不知离家日期时填“是”（记为“离家超过六个月，具体日期不详”）；已填${zh}状态起始日期的留空`,
      example: null,
      width: 14,
      type: { kind: 'bool', nullable: true },
    },
    { header: `${zh}状态截止日期`, field: `${role}.until`, en: `${en}'s status until`, help: '预计刑满释放、解除戒毒的日期', example: null, width: 14, type: { kind: 'date' } },
    { header: `${zh}务工省份`, field: `${role}.workProvince`, en: `${en}'s work province`, help: '如 广东省', example: away ? '广东省' : null, width: 10, type: text },
    { header: `${zh}务工城市`, field: `${role}.workCity`, en: `${en}'s work city`, help: '如 东莞市', example: away ? '东莞市' : null, width: 10, type: text },
    { header: `${zh}务工单位`, field: `${role}.employer`, en: `${en}'s employer`, help: '', example: null, width: 16, type: text },
    { header: `${zh}电话`, field: `${role}.phone`, en: `${en}'s phone`, help: '', example: away ? '13812345678' : null, width: 14, type: text },
    { header: `${zh}残疾类别`, field: `${role}.disability.type`, en: `${en}'s disability type`, help: `${allowed(DISABILITY_LABELS)}（状态为重残时填写）`, example: null, width: 10, type: choice(DISABILITY_LABELS) },
    { header: `${zh}残疾等级`, field: `${role}.disability.grade`, en: `${en}'s disability grade`, help: allowed(GRADE_LABELS), example: null, width: 10, type: choice(GRADE_LABELS, true) },
    { header: `${zh}技能`, field: `${role}.skills`, en: `${en}'s skills`, help: '多项用顿号分隔，如 电工、厨师', example: away ? '电工' : null, width: 12, type: { kind: 'list' } },
    { header: `${zh}有意就近就业`, field: `${role}.wantsLocalWork`, en: `${en} wants local work`, help: '是/否，可空', example: away ? '是' : null, width: 12, type: { kind: 'bool', nullable: true } },
  ];
}

export const IMPORT_COLUMNS: readonly ImportColumn[] = [
  { header: '姓名', field: 'name', en: 'Name', required: true, help: '', example: '（示例）王小明', width: 10, type: text },
  { header: '性别', field: 'sex', en: 'Sex', required: true, help: allowed(SEX_LABELS), example: '男', width: 6, type: choice(SEX_LABELS) },
  { header: '民族', field: 'ethnicity', en: 'Ethnicity', help: '空则为汉族', example: '侗族', width: 8, type: text },
  { header: '出生日期', field: 'birthDate', en: 'Birth date', required: true, help: '如 2015-03-10，须早于今天且未满 18 周岁', example: '2015-03-10', width: 12, type: { kind: 'date' } },
  { header: '身份证号', aliases: ['公民身份号码', '身份证号码'], field: 'idNumber', en: 'ID number', help: '18 位，请以文本格式填写；无户籍可空', example: '', width: 21, type: { kind: 'id' } },
  { header: '户籍类型', field: 'hukouType', en: 'Household registration', required: true, help: allowed(HUKOU_LABELS), example: '农村', width: 9, type: choice(HUKOU_LABELS) },
  { header: '户籍地', field: 'hukouPlace', en: 'Household registration place', help: '', example: null, width: 20, type: text },
  {
    header: '村（社区）代码',
    aliases: ['村(社区)代码', '村社区代码', '区划代码', '村代码'],
    field: 'regionCode',
    en: 'Village code',
    required: true,
    help: '12 位统计用区划代码，须为您辖区内的村（社区）',
    example: '',
    width: 15,
    type: { kind: 'code' },
  },
  { header: '现住址', field: 'address', en: 'Address', help: '', example: '青西村 3 组', width: 20, type: text },
  ...parentColumns('father', '父亲', 'Father', 'away'),
  ...parentColumns('mother', '母亲', 'Mother', 'ill'),
  { header: '监护人类型', aliases: ['实际监护人类型', '照护人类型'], field: 'caregiver.kind', en: 'Caregiver', required: true, help: allowed(CAREGIVER_LABELS), example: '祖父母', width: 12, type: choice(CAREGIVER_LABELS) },
  { header: '监护人姓名', field: 'caregiver.name', en: 'Caregiver name', help: '', example: '王奶奶', width: 10, type: text },
  { header: '与儿童关系', field: 'caregiver.relation', en: 'Caregiver relation', help: '如 祖母', example: '祖母', width: 10, type: text },
  { header: '监护人电话', field: 'caregiver.phone', en: 'Caregiver phone', help: '', example: '13900001111', width: 14, type: text },
  { header: '监护人年龄', field: 'caregiver.age', en: 'Caregiver age', help: '整数', example: 68, width: 10, type: { kind: 'int' } },
  { header: '监护人健康状况', field: 'caregiver.health', en: 'Caregiver health', help: allowed(CAPACITY_LABELS), example: '一般', width: 12, type: choice(CAPACITY_LABELS) },
  { header: '监护能力', field: 'caregiver.capacity', en: 'Caregiving capacity', required: true, help: allowed(CAPACITY_LABELS), example: '一般', width: 10, type: choice(CAPACITY_LABELS) },
  { header: '就学状态', field: 'schooling.status', en: 'Schooling', required: true, help: allowed(SCHOOL_LABELS), example: '在校', width: 10, type: choice(SCHOOL_LABELS) },
  { header: '学校', field: 'schooling.school', en: 'School', help: '', example: '青西小学', width: 16, type: text },
  { header: '年级', field: 'schooling.grade', en: 'Grade', help: '如 五年级', example: '五年级', width: 8, type: text },
  { header: '寄宿', field: 'schooling.boarding', en: 'Boarding', help: '是/否，空为否', example: '否', width: 6, type: { kind: 'bool', nullable: false } },
  { header: '健康状况', field: 'health.status', en: 'Health', required: true, help: allowed(HEALTH_LABELS), example: '健康', width: 10, type: choice(HEALTH_LABELS) },
  { header: '所患疾病', field: 'health.illness', en: 'Illness', help: '', example: null, width: 14, type: text },
  { header: '残疾类别', field: 'health.disability.type', en: 'Disability type', help: allowed(DISABILITY_LABELS), example: null, width: 10, type: choice(DISABILITY_LABELS) },
  { header: '残疾等级', field: 'health.disability.grade', en: 'Disability grade', help: allowed(GRADE_LABELS), example: null, width: 10, type: choice(GRADE_LABELS, true) },
  { header: '残疾证号', field: 'health.certificate', en: 'Disability certificate', help: '', example: null, width: 16, type: text },
  { header: '低保', field: 'support.dibao', en: 'Minimum living allowance (dibao)', help: '是/否，空为否', example: '否', width: 6, type: { kind: 'bool', nullable: false } },
  { header: '特困', field: 'support.tekun', en: 'Extreme-poverty support (tekun)', help: '是/否，空为否', example: '否', width: 6, type: { kind: 'bool', nullable: false } },
  { header: '临时救助', field: 'support.temporaryRelief', en: 'Temporary relief', help: '是/否，空为否', example: '否', width: 8, type: { kind: 'bool', nullable: false } },
  { header: '孤儿基本生活费', field: 'support.orphanAllowance', en: 'Orphan allowance', help: '是/否，空为否', example: '否', width: 12, type: { kind: 'bool', nullable: false } },
  { header: '遭受虐待', field: 'guardianship.abuse', en: 'Abuse', help: '是/否，空为否', example: '否', width: 8, type: { kind: 'bool', nullable: false } },
  { header: '遭受遗弃', field: 'guardianship.abandonment', en: 'Abandonment', help: '是/否，空为否', example: '否', width: 8, type: { kind: 'bool', nullable: false } },
  { header: '监护不当', field: 'guardianship.improperCare', en: 'Improper care', help: '是/否，空为否', example: '否', width: 8, type: { kind: 'bool', nullable: false } },
  { header: '临时困境', field: 'temporaryDistress', en: 'Temporary distress', help: '是/否，空为否（如遭遇灾害、意外）', example: '否', width: 8, type: { kind: 'bool', nullable: false } },
  { header: '备注', field: 'notes', en: 'Notes', help: '', example: '示例行：姓名以“（示例）”开头的行不会导入', width: 30, type: text },
];

export const COLUMN_BY_FIELD = new Map(IMPORT_COLUMNS.map((c) => [c.field, c]));

/** Headers compare without spaces, asterisks (required marks) and with half-width brackets. */
export function normaliseHeader(h: string): string {
  return h.replace(/[\s*＊]/g, '').replace(/（/g, '(').replace(/）/g, ')');
}

export const HEADER_LOOKUP = new Map<string, ImportColumn>(
  IMPORT_COLUMNS.flatMap((c) => [c.header, ...(c.aliases ?? [])].map((h) => [normaliseHeader(h), c] as const)),
);

/** Rows whose name starts like this are the template's example and are skipped. */
export const EXAMPLE_MARK = /^[（(]示例[)）]/;

/** The cell as text, or null when blank. Numbers keep all their digits (no exponent). */
function cellText(cell: XlsxCell): string | null {
  switch (cell.t) {
    case 'text': {
      const s = cell.v.trim();
      return s === '' ? null : s;
    }
    case 'number':
      return Number.isInteger(cell.v) ? cell.v.toFixed(0) : String(cell.v);
    case 'bool':
      return cell.v ? 'TRUE' : 'FALSE';
    case 'error':
    case 'formula':
      return null;
  }
}

const DATE_TEXT = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/;
const MONTH_TEXT = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$/;

/** A month alone ('2024-03', '2024年3月', '2024/3'), as 'YYYY-MM'. */
function parseMonthText(s: string): Parsed | null {
  const m = MONTH_TEXT.exec(s) ?? /^(\d{4})(\d{2})$/.exec(s);
  if (!m) return null;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return { problem: { reason: 'no_such_date' } };
  return { value: `${m[1]}-${String(month).padStart(2, '0')}` };
}

function parseDateText(s: string): Parsed {
  const m = DATE_TEXT.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) return { problem: { reason: 'iso_date' } };
  const iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso) return { problem: { reason: 'no_such_date' } };
  return { value: iso };
}

/**
 * Reads one cell for a column. `undefined` value = blank (the schema's default
 * or its "required" applies). Formula cells are refused, never evaluated.
 */
export function parseCell(column: ImportColumn, cell: XlsxCell | undefined, date1904: boolean): Parsed {
  if (cell === undefined) return { value: undefined };
  if (cell.t === 'formula') return { problem: { reason: 'formula' } };
  if (cell.t === 'error') return { problem: { reason: 'cell_error' } };
  const type = column.type;
  if ((type.kind === 'date' || type.kind === 'since') && cell.t === 'number' && cell.date) {
    const iso = serialToIsoDate(cell.v, date1904);
    return iso ? { value: iso } : { problem: { reason: 'iso_date' } };
  }
  if (type.kind === 'id' && cell.t === 'number') return { problem: { reason: 'id_as_number' } };
  const s = cellText(cell);
  if (s === null) return { value: undefined };
  switch (type.kind) {
    case 'text':
    case 'id':
      return { value: s };
    case 'code':
      return /^\d{12}$/.test(s) ? { value: s } : { problem: { reason: 'region_code' } };
    case 'date':
      return parseDateText(s);
    case 'since': {
      const month = parseMonthText(s);
      if (month) return month;
      const date = parseDateText(s);
      return 'problem' in date && date.problem.reason === 'iso_date' ? { problem: { reason: 'iso_month_or_date' } } : date;
    }
    case 'int':
      return /^\d{1,3}$/.test(s) ? { value: Number(s) } : { problem: { reason: 'integer' } };
    case 'bool': {
      const v = BOOL_TABLE.get(s.toLowerCase());
      return v === undefined ? { problem: { reason: 'choice', params: { choices: '是/否' } } } : { value: v === 'true' };
    }
    case 'list':
      return { value: s.split(/[、,，;；\s]+/).filter((x) => x !== '') };
    case 'choice': {
      const code = type.table.get(s.toLowerCase()) ?? type.table.get(s.replace(/\s/g, '').toLowerCase());
      if (code === undefined) return { problem: { reason: 'choice', params: { choices: allowed(type.labels) } } };
      return { value: type.numeric ? Number(code) : code };
    }
  }
}
const BOOL_TABLE = lookupTable(BOOL_LABELS);

/** Sets `value` at a dotted path, creating objects on the way. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (next === undefined || next === null || typeof next !== 'object') node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}
