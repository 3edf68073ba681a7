import { EditOutlined, UndoOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Col, DatePicker, Form, Input, InputNumber, Radio, Result, Row, Select, Space, Spin, Switch, Typography, type FormInstance } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState, type ReactNode } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { checkIdNumber } from '../../../../domain/children/id-number.js';
import {
  CAPACITY,
  CAREGIVER_KINDS,
  DISABILITY_TYPES,
  HEALTH_STATUSES,
  HUKOU_TYPES,
  PARENT_STATUSES,
  SCHOOL_STATUSES,
  SEXES,
  type ChildDetail,
  type ChildInput,
  type DuplicateCheckResult,
  type ParentInput,
  type ParentRecord,
} from '../../../../domain/children/schema.js';
import { isApiError } from '../../shared/api/client.js';
import { duplicateFindings, useChild, useRegisterChild, useSchoolChoices, useUpdateChild, type RevealField } from './api.js';
import { useSession } from '../../shared/api/session.js';
import { useShowApiError } from '../../shared/api-feedback.js';
import { DuplicateModal } from './duplicate-modal.js';
import { PageHeader } from '../../shared/page-header.js';
import { RegionTreeSelect } from '../../shared/region-tree-select.js';
import { useT, type MessageKey, type Translate } from './strings.js';
import { enumLabel } from '../../shared/i18n/child-labels.js';
import { chinaToday } from '../../../../domain/china-time.js';
import { personNameRule } from '../../shared/person-name-rule.js';
import { useRequestTransfer } from '../transfer-requests/api.js';
import { heldCorrection, isNetworkError, queueOffline, settleHeldCorrection } from '../../shared/offline/bridge.js';
import { v7 as uuidv7 } from 'uuid';

type Tri = 'yes' | 'no' | 'unknown';
type Sex = (typeof SEXES)[number];
type ParentStatus = (typeof PARENT_STATUSES)[number];
type DisabilityType = (typeof DISABILITY_TYPES)[number];
type Grade = 1 | 2 | 3 | 4;
type SinceMode = 'date' | 'month' | 'unknown';
const SINCE_MODES: readonly SinceMode[] = ['date', 'month', 'unknown'];

interface DisabilityValues {
  type?: DisabilityType;
  grade?: Grade;
}

interface ParentValues {
  name?: string;
  idNumber?: string;
  phone?: string;
  status?: ParentStatus;
  /** Working away: the day is known, only the month, or "more than six months, date unknown". */
  sinceMode?: SinceMode;
  since?: string;
  until?: string;
  workProvince?: string;
  workCity?: string;
  employer?: string;
  workAwayCrossesCounty?: Tri;
  disability?: DisabilityValues;
  skills?: string[];
  wantsLocalWork?: Tri;
}

/** The form's values: ChildInput with optional fields, dates as 'YYYY-MM-DD' and yes/no/unknown as words. */
interface FormValues {
  name?: string;
  sex?: Sex;
  ethnicity?: string;
  birthDate?: string;
  idNumber?: string;
  hukouType?: ChildInput['hukouType'];
  hukouPlace?: string;
  regionCode?: string;
  address?: string;
  father: ParentValues;
  mother: ParentValues;
  caregiver: {
    kind?: ChildInput['caregiver']['kind'];
    name?: string;
    relation?: string;
    phone?: string;
    age?: number | null;
    health?: ChildInput['caregiver']['capacity'];
    capacity?: ChildInput['caregiver']['capacity'];
  };
  schooling: { status?: ChildInput['schooling']['status']; school?: string; grade?: string; className?: string; boarding?: boolean; schoolOrgId?: string | null };
  health: { status?: ChildInput['health']['status']; illness?: string; disability?: DisabilityValues; certificate?: string };
  support: ChildInput['support'];
  guardianship: ChildInput['guardianship'];
  temporaryDistress?: boolean;
  notes?: string;
}

/** Fields a server VALIDATION error may name that the form shows (dotted names as the server writes them). */
const FORM_FIELDS = new Set([
  'name',
  'sex',
  'ethnicity',
  'birthDate',
  'idNumber',
  'hukouType',
  'hukouPlace',
  'regionCode',
  'address',
  'notes',
  ...['father', 'mother'].flatMap((p) => ['name', 'idNumber', 'phone', 'status', 'since', 'until', 'workProvince', 'workCity', 'employer'].map((f) => `${p}.${f}`)),
  'caregiver.kind',
  'caregiver.name',
  'caregiver.phone',
  'caregiver.age',
  'caregiver.capacity',
  'schooling.status',
  'schooling.school',
  'schooling.grade',
  'schooling.className',
  'schooling.schoolOrgId',
  'health.status',
  'health.illness',
  'health.certificate',
]);

const RESTRICTED: readonly ParentStatus[] = ['imprisoned', 'compulsory_rehab'];
const WITH_SINCE: readonly ParentStatus[] = ['working_away', 'imprisoned', 'compulsory_rehab', 'lost_contact'];
const GONE: readonly ParentStatus[] = ['deceased', 'missing'];

const today = () => chinaToday();

function fromTri(value: Tri | undefined): boolean | null {
  return value === 'yes' ? true : value === 'no' ? false : null;
}

function toTri(value: boolean | null): Tri {
  return value === true ? 'yes' : value === false ? 'no' : 'unknown';
}

function disabilityOf(values: DisabilityValues | undefined): { type: DisabilityType; grade: Grade } | null {
  return values?.type && values.grade ? { type: values.type, grade: values.grade } : null;
}

/**
 * A protected number as sent. On an edit the form holds undefined for a number
 * the user did not touch: it stays undefined (left out of the PUT), and the
 * server keeps the stored one. Otherwise empty means none (null).
 */
function numberToSend(value: string | undefined, keepUntouched: boolean, upperCase = false): string | null | undefined {
  if (value === undefined) return keepUntouched ? undefined : null;
  const text = upperCase ? value.trim().toUpperCase() : value.trim();
  return text || null;
}

/** The date a status began as sent: a day, or for a parent working away a month, or nothing with "date unknown". */
function sinceToSend(p: ParentValues, status: ParentStatus): string | null {
  if (!WITH_SINCE.includes(status) || !p.since) return null;
  if (status !== 'working_away') return p.since;
  const mode = p.sinceMode ?? 'date';
  return mode === 'unknown' ? null : mode === 'month' ? p.since.slice(0, 7) : p.since;
}

function parentInput(p: ParentValues, keepUntouched: boolean): ParentInput {
  const status = p.status ?? 'unknown';
  return {
    name: p.name?.trim() || null,
    idNumber: numberToSend(p.idNumber, keepUntouched, true),
    phone: numberToSend(p.phone, keepUntouched),
    status,
    since: sinceToSend(p, status),
    sinceUnknown: status === 'working_away' && p.sinceMode === 'unknown',
    until: RESTRICTED.includes(status) ? (p.until ?? null) : null,
    workProvince: status === 'working_away' ? p.workProvince?.trim() || null : null,
    workCity: status === 'working_away' ? p.workCity?.trim() || null : null,
    employer: status === 'working_away' ? p.employer?.trim() || null : null,
    workAwayCrossesCounty: status === 'working_away' ? fromTri(p.workAwayCrossesCounty) : null,
    disability: status === 'disabled' ? disabilityOf(p.disability) : null,
    skills: p.skills ?? [],
    wantsLocalWork: fromTri(p.wantsLocalWork),
  };
}

/**
 * What is sent: the form's values as the API's ChildInput (required fields are checked by the form first).
 * `keepUntouched` (an edit) leaves out the protected numbers the user did not change.
 */
function toInput(v: FormValues, regionCode: string, keepUntouched = false): ChildInput {
  return {
    name: (v.name ?? '').trim(),
    sex: v.sex ?? 'male',
    ethnicity: v.ethnicity?.trim() || '汉族',
    birthDate: v.birthDate ?? '',
    idNumber: numberToSend(v.idNumber, keepUntouched, true),
    hukouType: v.hukouType ?? 'rural',
    hukouPlace: v.hukouPlace?.trim() || null,
    regionCode,
    address: v.address?.trim() || null,
    father: parentInput(v.father, keepUntouched),
    mother: parentInput(v.mother, keepUntouched),
    caregiver: {
      kind: v.caregiver.kind ?? 'parent',
      name: v.caregiver.name?.trim() || null,
      relation: v.caregiver.relation?.trim() || null,
      phone: numberToSend(v.caregiver.phone, keepUntouched),
      age: v.caregiver.age ?? null,
      health: v.caregiver.health ?? null,
      capacity: v.caregiver.capacity ?? 'fair',
    },
    schooling: {
      status: v.schooling.status ?? 'in_school',
      school: v.schooling.school?.trim() || null,
      grade: v.schooling.grade?.trim() || null,
      className: v.schooling.className?.trim() || null,
      boarding: v.schooling.boarding ?? false,
      schoolOrgId: v.schooling.schoolOrgId ?? null,
    },
    health: {
      status: v.health.status ?? 'healthy',
      illness: v.health.status === 'seriously_ill' ? v.health.illness?.trim() || null : null,
      disability: v.health.status === 'disabled' ? disabilityOf(v.health.disability) : null,
      certificate: v.health.status === 'disabled' ? v.health.certificate?.trim() || null : null,
    },
    support: v.support,
    guardianship: v.guardianship,
    temporaryDistress: v.temporaryDistress ?? false,
    notes: v.notes?.trim() || null,
  };
}

const EMPTY_SUPPORT = { dibao: false, tekun: false, temporaryRelief: false, orphanAllowance: false };
const EMPTY_GUARDIANSHIP = { abuse: false, abandonment: false, improperCare: false };

const NEW_VALUES: FormValues = {
  ethnicity: '汉族',
  hukouType: 'rural',
  father: { skills: [] },
  mother: { skills: [] },
  caregiver: {},
  schooling: { boarding: false },
  health: { status: 'healthy' },
  support: EMPTY_SUPPORT,
  guardianship: EMPTY_GUARDIANSHIP,
  temporaryDistress: false,
};

/** The protected numbers of a stored file as the server shows them (masked), null when there is none. */
type MaskedNumbers = Record<RevealField, string | null>;

function maskedNumbersOf(c: ChildDetail): MaskedNumbers {
  return {
    idNumber: c.idNumberMasked,
    'father.idNumber': c.father.idNumber,
    'mother.idNumber': c.mother.idNumber,
    'father.phone': c.father.phone,
    'mother.phone': c.mother.phone,
    'caregiver.phone': c.caregiver.phone,
  };
}

// The protected numbers start as undefined, "unchanged": the form never holds them in clear.
function parentValues(p: ParentRecord): ParentValues {
  return {
    name: p.name ?? undefined,
    status: p.status,
    sinceMode: p.sinceUnknown ? 'unknown' : p.since && /^\d{4}-\d{2}$/.test(p.since) ? 'month' : 'date',
    since: p.since ?? undefined,
    until: p.until ?? undefined,
    workProvince: p.workProvince ?? undefined,
    workCity: p.workCity ?? undefined,
    employer: p.employer ?? undefined,
    workAwayCrossesCounty: toTri(p.workAwayCrossesCounty),
    disability: p.disability ?? undefined,
    skills: p.skills,
    wantsLocalWork: toTri(p.wantsLocalWork),
  };
}

/** A stored file as form values; the protected numbers are left unchanged (undefined) until the user changes one. */
function fromDetail(c: ChildDetail): FormValues {
  return {
    name: c.name,
    sex: c.sex,
    ethnicity: c.ethnicity,
    birthDate: c.birthDate,
    hukouType: c.hukouType,
    hukouPlace: c.hukouPlace ?? undefined,
    regionCode: c.region.code,
    address: c.address ?? undefined,
    father: parentValues(c.father),
    mother: parentValues(c.mother),
    caregiver: {
      kind: c.caregiver.kind,
      name: c.caregiver.name ?? undefined,
      relation: c.caregiver.relation ?? undefined,
      age: c.caregiver.age,
      health: c.caregiver.health ?? undefined,
      capacity: c.caregiver.capacity,
    },
    schooling: { status: c.schooling.status, school: c.schooling.school ?? undefined, grade: c.schooling.grade ?? undefined, className: c.schooling.className ?? undefined, boarding: c.schooling.boarding, schoolOrgId: c.schooling.schoolOrgId ?? null },
    health: {
      status: c.health.status,
      illness: c.health.illness ?? undefined,
      disability: c.health.disability ?? undefined,
      certificate: c.health.certificate ?? undefined,
    },
    support: c.support,
    guardianship: c.guardianship,
    temporaryDistress: c.temporaryDistress,
    notes: c.notes ?? undefined,
  };
}

// ------------------------------------------------------------------ small form parts

/** A date kept in the form as 'YYYY-MM-DD'. */
const dateProps = {
  getValueProps: (value: string | undefined) => ({ value: value ? dayjs(value) : undefined }),
  normalize: (value: Dayjs | null) => (value ? value.format('YYYY-MM-DD') : undefined),
};
/** A month kept in the form as 'YYYY-MM' (when the day is not known). */
const monthProps = {
  getValueProps: (value: string | undefined) => ({ value: value ? dayjs(`${value.slice(0, 7)}-01`) : undefined }),
  normalize: (value: Dayjs | null) => (value ? value.format('YYYY-MM') : undefined),
};

function noFuture(current: Dayjs): boolean {
  return current.format('YYYY-MM-DD') > today();
}

function options<T extends string>(t: Translate, group: string, values: readonly T[]) {
  return values.map((value) => ({ value, label: enumLabel(t, group, value) }));
}

function Section({ title, children, testId }: { title: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <Card size="small" title={title} className="child-form-section" data-testid={testId}>
      <Row gutter={16}>{children}</Row>
    </Card>
  );
}

function Half({ children }: { children: ReactNode }) {
  return (
    <Col xs={24} md={12}>
      {children}
    </Col>
  );
}

function idRule(t: Translate, expect: () => { birthDate?: string; sex?: Sex }) {
  return {
    validator: (_: unknown, value: string | undefined) => {
      const text = value?.trim();
      if (!text) return Promise.resolve();
      const result = checkIdNumber(text, { ...expect(), asOf: today() });
      return result.ok ? Promise.resolve() : Promise.reject(new Error(t(`childForm.id.${result.reason}`)));
    },
  };
}

interface ProtectedNumberInputProps {
  /** The stored number as the server shows it (masked); null when there is none to protect (or a new file). */
  masked: string | null;
  /** undefined: the stored number is kept; a string: the new number being typed ('' erases it). */
  value?: string;
  onChange?: (value: string | undefined) => void;
  /** Called with what the user types (e.g. to fill in the birth date an ID number encodes). */
  onTyped?: (text: string) => void;
  id?: string;
  maxLength: number;
  inputMode?: 'text' | 'tel';
}

/**
 * An ID or phone number that an edit does not need in clear: a stored number
 * shows masked with a "修改" button, which opens an empty input for a new one;
 * "不修改" goes back to keeping the stored number.
 */
function ProtectedNumberInput({ masked, value, onChange, onTyped, id, maxLength, inputMode = 'text' }: ProtectedNumberInputProps) {
  const t = useT();
  const input = (autoFocus: boolean) => (
    <Input
      id={id}
      value={value ?? ''}
      onChange={(event) => {
        onChange?.(event.target.value);
        onTyped?.(event.target.value);
      }}
      maxLength={maxLength}
      inputMode={inputMode}
      autoComplete="off"
      autoFocus={autoFocus}
      className="child-number-input"
    />
  );
  if (masked === null) return input(false);
  if (value === undefined) {
    return (
      <Space.Compact block>
        <Input id={id} value={masked} readOnly variant="filled" className="child-number-input" data-testid={id ? `${id}-masked` : undefined} />
        <Button icon={<EditOutlined />} onClick={() => onChange?.('')} data-testid={id ? `${id}-change` : undefined}>
          {t('childForm.changeNumber')}
        </Button>
      </Space.Compact>
    );
  }
  return (
    <>
      <Space.Compact block>
        {input(true)}
        <Button icon={<UndoOutlined />} onClick={() => onChange?.(undefined)} data-testid={id ? `${id}-keep` : undefined}>
          {t('childForm.keepNumber')}
        </Button>
      </Space.Compact>
      <Typography.Text type="secondary">
        {t('childForm.newNumberHelp')}
      </Typography.Text>
    </>
  );
}

function TriRadio({ value, onChange, id }: { value?: Tri; onChange?: (value: Tri) => void; id?: string }) {
  const t = useT();
  return (
    <Radio.Group
      id={id}
      optionType="button"
      value={value ?? 'unknown'}
      onChange={(event) => onChange?.(event.target.value as Tri)}
      options={[
        { value: 'yes', label: t('child.yes') },
        { value: 'no', label: t('child.no') },
        { value: 'unknown', label: t('child.unknown') },
      ]}
    />
  );
}

function DisabilityFields({ prefix }: { prefix: string[] }) {
  const t = useT();
  return (
    <>
      <Half>
        <Form.Item name={[...prefix, 'type']} label={t('field.parent.disability.type')}>
          <Select allowClear options={options(t, 'disability', DISABILITY_TYPES)} />
        </Form.Item>
      </Half>
      <Half>
        <Form.Item name={[...prefix, 'grade']} label={t('field.parent.disability.grade')}>
          <Select<Grade> allowClear options={([1, 2, 3, 4] as const).map((grade) => ({ value: grade, label: t('child.disabilityGrade', { grade }) }))} />
        </Form.Item>
      </Half>
    </>
  );
}

/**
 * When a parent working away left: the day, or only the month ("month and year
 * are enough"), or recorded on purpose as "more than six months, date unknown".
 * Across the county line one of them is needed: it decides 留守.
 */
function AwaySince({ role, form, statedBy }: { role: 'father' | 'mother'; form: FormInstance<FormValues>; statedBy: string | null }) {
  const t = useT();
  const me = useSession();
  const mode = Form.useWatch<SinceMode | undefined>([role, 'sinceMode'], form) ?? 'date';
  const crosses = Form.useWatch<Tri | undefined>([role, 'workAwayCrossesCounty'], form);
  const rule = {
    validator: (_: unknown, value: string | undefined) =>
      value || crosses === 'no' ? Promise.resolve() : Promise.reject(new Error(t('childForm.sinceAwayRequired'))),
  };
  return (
    <>
      <Col xs={24}>
        <Form.Item name={[role, 'sinceMode']} label={t('field.parent.sinceAway')} className="child-since-mode">
          <Radio.Group
            options={SINCE_MODES.map((value) => ({ value, label: t(`childForm.sinceMode.${value}`) }))}
            // Another kind of answer starts empty: a day is not a month.
            onChange={() => form.setFieldValue([role, 'since'], undefined)}
            data-testid={`${role}-since-mode`}
          />
        </Form.Item>
      </Col>
      {mode === 'unknown' ? (
        <Col xs={24}>
          <Alert type="info" showIcon className="child-since-unknown" data-testid={`${role}-since-unknown`} message={t('childForm.sinceUnknownNote', { name: statedBy ?? me.user.displayName })} />
        </Col>
      ) : (
        <Half>
          <Form.Item
            name={[role, 'since']}
            label={t(mode === 'month' ? 'childForm.sinceMonth' : 'childForm.sinceDate')}
            dependencies={[[role, 'workAwayCrossesCounty']]}
            rules={[rule]}
            {...(mode === 'month' ? monthProps : dateProps)}
          >
            <DatePicker className="full-width" picker={mode === 'month' ? 'month' : 'date'} disabledDate={noFuture} data-testid={`${role}-since`} />
          </Form.Item>
        </Half>
      )}
    </>
  );
}

function ParentSection({ role, form, masked, stored }: { role: 'father' | 'mother'; form: FormInstance<FormValues>; masked: MaskedNumbers | null; stored?: ParentRecord }) {
  const t = useT();
  const status = Form.useWatch<ParentStatus | undefined>([role, 'status'], form);
  const title: MessageKey = role === 'father' ? 'childForm.section.father' : 'childForm.section.mother';
  const required = (field: MessageKey) => ({ required: true, message: t('childForm.requiredSelect', { field: t(field) }) });
  return (
    <Section title={t(title)} testId={`section-${role}`}>
      <Half>
        <Form.Item name={[role, 'status']} label={t('field.parent.status')} rules={[required('field.parent.status')]}>
          <Select<ParentStatus> options={options(t, 'parentStatus', PARENT_STATUSES)} data-testid={`${role}-status`} />
        </Form.Item>
      </Half>
      <Half>
        <Form.Item name={[role, 'name']} label={t('field.parent.name')} rules={[personNameRule(t)]}>
          <Input maxLength={50} autoComplete="off" />
        </Form.Item>
      </Half>
      <Half>
        <Form.Item
          name={[role, 'idNumber']}
          label={t('field.parent.idNumber')}
          rules={[idRule(t, () => ({ sex: role === 'father' ? 'male' : 'female' }))]}
          validateDebounce={300}
        >
          <ProtectedNumberInput masked={masked?.[`${role}.idNumber`] ?? null} maxLength={18} />
        </Form.Item>
      </Half>
      {status && !GONE.includes(status) ? (
        <Half>
          <Form.Item name={[role, 'phone']} label={t('field.parent.phone')}>
            <ProtectedNumberInput masked={masked?.[`${role}.phone`] ?? null} maxLength={20} inputMode="tel" />
          </Form.Item>
        </Half>
      ) : null}
      {status === 'working_away' ? <AwaySince role={role} form={form} statedBy={stored?.sinceUnknown ? stored.sinceStatedBy : null} /> : null}
      {status && status !== 'working_away' && WITH_SINCE.includes(status) ? (
        <Half>
          <Form.Item name={[role, 'since']} label={t('field.parent.since')} {...dateProps}>
            <DatePicker className="full-width" disabledDate={noFuture} />
          </Form.Item>
        </Half>
      ) : null}
      {status && RESTRICTED.includes(status) ? (
        <Half>
          <Form.Item name={[role, 'until']} label={t('field.parent.until')} {...dateProps}>
            <DatePicker className="full-width" />
          </Form.Item>
        </Half>
      ) : null}
      {status === 'working_away' ? (
        <>
          <Half>
            <Form.Item name={[role, 'workProvince']} label={t('field.parent.workProvince')}>
              <Input maxLength={30} />
            </Form.Item>
          </Half>
          <Half>
            <Form.Item name={[role, 'workCity']} label={t('field.parent.workCity')}>
              <Input maxLength={30} />
            </Form.Item>
          </Half>
          <Half>
            <Form.Item name={[role, 'employer']} label={t('field.parent.employer')}>
              <Input maxLength={100} />
            </Form.Item>
          </Half>
          <Half>
            <Form.Item name={[role, 'workAwayCrossesCounty']} label={t('field.parent.workAwayCrossesCounty')}>
              <TriRadio />
            </Form.Item>
          </Half>
        </>
      ) : null}
      {status === 'disabled' ? <DisabilityFields prefix={[role, 'disability']} /> : null}
      {status && !GONE.includes(status) ? (
        <>
          <Half>
            <Form.Item name={[role, 'skills']} label={t('field.parent.skills')}>
              <Select mode="tags" maxCount={10} placeholder={t('childForm.skillsPlaceholder')} open={false} suffixIcon={null} />
            </Form.Item>
          </Half>
          <Half>
            <Form.Item name={[role, 'wantsLocalWork']} label={t('field.parent.wantsLocalWork')}>
              <TriRadio />
            </Form.Item>
          </Half>
        </>
      ) : null}
    </Section>
  );
}

// ------------------------------------------------------------------ the form

interface ChildFormProps {
  mode: 'new' | 'edit';
  initial: FormValues;
  child?: ChildDetail;
  /** After a successful save (a held correction from the outbox then leaves it). */
  onSaved?: () => void;
}

const isEmptyValue = (v: unknown) => v === undefined || v === null || v === '';

/** The leaves of `mine` that differ from `base` (path, value): what the user changed in the form. */
function changedPaths(base: unknown, mine: unknown, path: string[] = []): [string[], unknown][] {
  const plain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (plain(base) && plain(mine)) {
    // Only what the form holds: a value it does not show is never a change.
    return Object.keys(mine).flatMap((key) => changedPaths(base[key], mine[key], [...path, key]));
  }
  if (isEmptyValue(base) && isEmptyValue(mine)) return [];
  return JSON.stringify(base) === JSON.stringify(mine) ? [] : [[path, mine === undefined ? null : mine]];
}

/** The file's form values with the given changes laid over them. */
function withChanges(values: FormValues, changes: [string[], unknown][]): FormValues {
  const copy = structuredClone(values) as unknown as Record<string, unknown>;
  for (const [path, value] of changes) {
    let node = copy;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      node = (typeof next === 'object' && next !== null ? next : (node[key] = {})) as Record<string, unknown>;
    }
    node[path[path.length - 1]!] = value;
  }
  return copy as unknown as FormValues;
}

function ChildForm({ mode, initial, child, onSaved }: ChildFormProps) {
  const t = useT();
  const me = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message, modal } = App.useApp();
  const showError = useShowApiError();
  const [form] = Form.useForm<FormValues>();
  const register = useRegisterChild();
  const requestTransfer = useRequestTransfer();
  const update = useUpdateChild(child?.id ?? '');
  const [duplicates, setDuplicates] = useState<DuplicateCheckResult | null>(null);
  const [pending, setPending] = useState<ChildInput | null>(null);
  const [idHint, setIdHint] = useState(false);
  const healthStatus = Form.useWatch(['health', 'status'], form);
  const idNumber = Form.useWatch('idNumber', form);
  const ownVillage = me.scope.region.level === 'village' ? me.scope.region : null;
  const chosenVillage = Form.useWatch('regionCode', form);
  const schools = useSchoolChoices(mode === 'edit' ? child?.region.code : (ownVillage?.code ?? chosenVillage));
  const saving = register.isPending || update.isPending;
  const masked = child ? maskedNumbersOf(child) : null;
  const holdsNumbers = masked !== null && Object.values(masked).some((value) => value !== null);

  const showServerError = (error: unknown) => {
    if (isApiError(error) && error.code === 'VALIDATION' && error.field && FORM_FIELDS.has(error.field)) {
      // The server names fields by dotted path, the form by array path (FORM_FIELDS lists only fields the form has).
      const untyped: FormInstance = form;
      const name = error.field.split('.');
      untyped.setFields([{ name, errors: [error.message] }]);
      untyped.scrollToField(name, { block: 'center', behavior: 'smooth' });
      return;
    }
    showError(error);
  };

  const conflict = (version: unknown) => {
    modal.warning({
      title: t('childForm.conflictTitle'),
      content: t('childForm.conflictBody', { version: typeof version === 'number' ? version : '?' }),
      okText: t('childForm.conflictReload'),
      onOk: async () => {
        await queryClient.invalidateQueries({ queryKey: ['children'] });
      },
    });
  };

  const registerWith = (input: ChildInput, decision?: { reason: string; candidateIds: string[] }) => {
    register.mutate(decision ? { ...input, duplicateDecision: { action: 'dismiss', ...decision } } : input, {
      onSuccess: (saved) => {
        setDuplicates(null);
        void message.success(t(saved.status === 'pending' ? 'childForm.registeredPending' : 'childForm.registered'));
        void navigate(`/children/${saved.id}`, { replace: true });
      },
      onError: (error) => {
        const findings = duplicateFindings(error);
        if (findings) {
          setPending(input);
          setDuplicates(findings);
          return;
        }
        setDuplicates(null);
        showServerError(error);
      },
    });
  };

  const submit = (values: FormValues) => {
    const regionCode = ownVillage?.code ?? values.regionCode ?? '';
    const input = toInput(values, regionCode, mode === 'edit');
    if (mode === 'new') {
      registerWith(input);
      return;
    }
    if (!child) return;
    const { regionCode: _region, ...rest } = input;
    const body = { ...rest, version: child.version };
    update.mutate(
      body,
      {
        onSuccess: () => {
          onSaved?.();
          void message.success(t('childForm.saved'));
          void navigate(`/children/${child.id}`, { replace: true });
        },
        onError: (error) => {
          if (isApiError(error) && error.code === 'CONFLICT') {
            conflict(error.data?.currentVersion);
            return;
          }
          // No signal: the correction waits in the outbox with the version it was made on; a file changed meanwhile holds it as a conflict.
          if (isNetworkError(error)) {
            const formChanges = changedPaths(fromDetail(child), values);
            void queueOffline('child-edit', child.id, uuidv7(), body, { childName: child.name, villageName: child.region.name, child, formChanges }).then((queued) => {
              if (!queued) {
                showServerError(error);
                return;
              }
              void message.success({ content: <span data-testid="child-edit-queued">{t('childForm.queued')}</span>, duration: 6 });
              void navigate(`/children/${child.id}`, { replace: true });
            });
            return;
          }
          const findings = duplicateFindings(error);
          if (findings) {
            setDuplicates(findings);
            return;
          }
          showServerError(error);
        },
      },
    );
  };

  /** A valid ID number fills in the birth date and sex it encodes, when they are still empty. */
  const onIdChange = (value: string) => {
    const result = checkIdNumber(value.trim(), { asOf: today() });
    if (!result.ok) {
      setIdHint(false);
      return;
    }
    const { birthDate, sex } = form.getFieldsValue(['birthDate', 'sex']) as FormValues;
    const fill: Partial<FormValues> = {};
    if (!birthDate) fill.birthDate = result.birthDate;
    if (!sex) fill.sex = result.sex;
    if (Object.keys(fill).length > 0) {
      form.setFieldsValue(fill);
      setIdHint(true);
    }
  };

  const required = (field: MessageKey, select = false) => ({
    required: true,
    whitespace: !select,
    message: t(select ? 'childForm.requiredSelect' : 'childForm.required', { field: t(field) }),
  });

  const submitLabel: MessageKey =
    mode === 'new' ? 'childForm.submitNew' : child?.status === 'returned' && me.user.role === 'director' ? 'childForm.submitResubmit' : 'childForm.submitEdit';

  return (
    <>
      {holdsNumbers ? <Alert type="info" showIcon message={t('childForm.numbersNotice')} className="child-form-alert" data-testid="numbers-notice" /> : null}
      {child?.status === 'returned' && child.reviewComment ? (
        <Alert type="warning" showIcon message={t('childPage.reviewComment', { comment: child.reviewComment })} className="child-form-alert" />
      ) : null}
      <Form<FormValues>
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={submit}
        onFinishFailed={({ errorFields }) => {
          void message.error(t('childForm.fixErrors'));
          const first = errorFields[0];
          if (first) form.scrollToField(first.name, { block: 'center', behavior: 'smooth' });
        }}
        scrollToFirstError={false}
        className="child-form"
        data-testid="child-form"
      >
        <Section title={t('childForm.section.identity')} testId="section-identity">
          <Half>
            <Form.Item name="name" label={t('field.name')} rules={[required('field.name'), personNameRule(t)]}>
              <Input maxLength={50} autoComplete="off" />
            </Form.Item>
          </Half>
          <Half>
            <Form.Item
              name="idNumber"
              label={t('field.idNumber')}
              extra={idHint ? t('childForm.idFilled') : masked?.idNumber && idNumber === undefined ? undefined : t('childForm.idHelp')}
              dependencies={['birthDate', 'sex']}
              validateDebounce={300}
              rules={[
                idRule(t, () => {
                  const { birthDate, sex } = form.getFieldsValue(['birthDate', 'sex']) as FormValues;
                  return { birthDate, sex };
                }),
              ]}
            >
              <ProtectedNumberInput masked={masked?.idNumber ?? null} maxLength={18} onTyped={onIdChange} />
            </Form.Item>
          </Half>
          <Half>
            <Form.Item name="sex" label={t('field.sex')} rules={[required('field.sex', true)]}>
              <Radio.Group optionType="button" options={options(t, 'sex', SEXES)} />
            </Form.Item>
          </Half>
          <Half>
            <Form.Item name="birthDate" label={t('field.birthDate')} rules={[required('field.birthDate', true)]} {...dateProps}>
              <DatePicker className="full-width" disabledDate={noFuture} />
            </Form.Item>
          </Half>
          <Half>
            <Form.Item name="ethnicity" label={t('field.ethnicity')}>
              <Input maxLength={20} />
            </Form.Item>
          </Half>
          <Half>
            <Form.Item name="hukouType" label={t('field.hukouType')} rules={[required('field.hukouType', true)]}>
              <Select options={options(t, 'hukou', HUKOU_TYPES)} />
            </Form.Item>
          </Half>
          <Half>
            <Form.Item name="hukouPlace" label={t('field.hukouPlace')}>
              <Input maxLength={100} />
            </Form.Item>
          </Half>
          <Half>
            {mode === 'edit' || ownVillage ? (
              <Form.Item label={t('childForm.village')}>
                <Typography.Text strong data-testid="child-village">
                  {mode === 'edit' ? child?.region.name : ownVillage?.name}
                </Typography.Text>
              </Form.Item>
            ) : (
              <Form.Item name="regionCode" label={t('childForm.village')} rules={[required('field.regionCode', true)]}>
                <RegionTreeSelect level="village" className="full-width" />
              </Form.Item>
            )}
          </Half>
          <Col xs={24}>
            <Form.Item name="address" label={t('field.address')}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
        </Section>

        <ParentSection role="father" form={form} masked={masked} stored={child?.father} />
        <ParentSection role="mother" form={form} masked={masked} stored={child?.mother} />

        <Section title={t('childForm.section.caregiver')} testId="section-caregiver">
          <Half>
            <Form.Item name={['caregiver', 'kind']} label={t('field.caregiver.kind')} rules={[required('field.caregiver.kind', true)]}>
              <Select options={options(t, 'caregiverKind', CAREGIVER_KINDS)} data-testid="caregiver-kind" />
            </Form.Item>
          </Half>
          <Half>
            <Form.Item name={['caregiver', 'capacity']} label={t('field.caregiver.capacity')} rules={[required('field.caregiver.capacity', true)]}>
              <Radio.Group optionType="button" options={options(t, 'capacity', CAPACITY)} data-testid="caregiver-capacity" />
            </Form.Item>
          </Half>
          <Half>
            <Form.Item name={['caregiver', 'name']} label={t('field.caregiver.name')} rules={[personNameRule(t)]}>
              <Input maxLength={50} autoComplete="off" />
            </Form.Item>
          </Half>
          <Half>
            <Form.Item name={['caregiver', 'relation']} label={t('field.caregiver.relation')}>
              <Input maxLength={20} />
            </Form.Item>
          </Half>
          <Half>
            <Form.Item name={['caregiver', 'phone']} label={t('field.caregiver.phone')}>
              <ProtectedNumberInput masked={masked?.['caregiver.phone'] ?? null} maxLength={20} inputMode="tel" />
            </Form.Item>
          </Half>
          <Half>
            <Form.Item name={['caregiver', 'age']} label={t('field.caregiver.age')}>
              <InputNumber<number> min={10} max={120} precision={0} className="full-width" />
            </Form.Item>
          </Half>
          <Half>
            <Form.Item name={['caregiver', 'health']} label={t('field.caregiver.health')}>
              <Radio.Group optionType="button" options={options(t, 'capacity', CAPACITY)} />
            </Form.Item>
          </Half>
        </Section>

        <Section title={t('childForm.section.schooling')} testId="section-schooling">
          <Half>
            <Form.Item name={['schooling', 'status']} label={t('field.schooling.status')} rules={[required('field.schooling.status', true)]}>
              <Select options={options(t, 'school', SCHOOL_STATUSES)} data-testid="schooling-status" />
            </Form.Item>
          </Half>
          <Half>
            <Form.Item name={['schooling', 'school']} label={t('field.schooling.school')}>
              <Input maxLength={100} />
            </Form.Item>
          </Half>
          <Half>
            <Form.Item name={['schooling', 'grade']} label={t('field.schooling.grade')}>
              <Input maxLength={20} />
            </Form.Item>
          </Half>
          <Half>
            <Form.Item name={['schooling', 'className']} label={t('field.schooling.className')} extra={t('field.schooling.classNameHelp')}>
              <Input maxLength={20} data-testid="schooling-class" />
            </Form.Item>
          </Half>
          <Half>
            <Form.Item name={['schooling', 'boarding']} label={t('field.schooling.boarding')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Half>
          <Col xs={24}>
            <Form.Item name={['schooling', 'schoolOrgId']} label={t('field.schooling.schoolOrgId')} extra={t('childForm.schoolOrgHelp')}>
              <Select
                allowClear
                showSearch
                optionFilterProp="label"
                loading={schools.isFetching}
                placeholder={schools.data && schools.data.items.length === 0 ? t('childForm.noSchools') : t('childForm.pickSchool')}
                notFoundContent={t('childForm.noSchools')}
                options={(schools.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
                onChange={(id: string | undefined) => {
                  // Clearing leaves null (the server unlinks); a chosen school also fills an empty school name.
                  form.setFieldValue(['schooling', 'schoolOrgId'], id ?? null);
                  const picked = schools.data?.items.find((s) => s.id === id);
                  if (picked && !form.getFieldValue(['schooling', 'school'])) form.setFieldValue(['schooling', 'school'], picked.name);
                }}
                data-testid="schooling-school-org"
              />
            </Form.Item>
          </Col>
        </Section>

        <Section title={t('childForm.section.health')} testId="section-health">
          <Half>
            <Form.Item name={['health', 'status']} label={t('field.health.status')} rules={[required('field.health.status', true)]}>
              <Radio.Group optionType="button" options={options(t, 'health', HEALTH_STATUSES)} />
            </Form.Item>
          </Half>
          {healthStatus === 'seriously_ill' ? (
            <Half>
              <Form.Item name={['health', 'illness']} label={t('field.health.illness')}>
                <Input maxLength={100} />
              </Form.Item>
            </Half>
          ) : null}
          {healthStatus === 'disabled' ? (
            <>
              <DisabilityFields prefix={['health', 'disability']} />
              <Half>
                <Form.Item name={['health', 'certificate']} label={t('field.health.certificate')}>
                  <Input maxLength={40} />
                </Form.Item>
              </Half>
            </>
          ) : null}
        </Section>

        <Section title={t('childForm.section.support')} testId="section-support">
          {(['dibao', 'tekun', 'temporaryRelief', 'orphanAllowance'] as const).map((key) => (
            <Col xs={24} md={12} key={key}>
              <Form.Item name={['support', key]} valuePropName="checked" className="child-form-check">
                <Checkbox>{t(`child.support.${key}`)}</Checkbox>
              </Form.Item>
            </Col>
          ))}
        </Section>

        <Section title={t('childForm.section.guardianship')} testId="section-guardianship">
          <Col xs={24}>
            <Typography.Paragraph type="secondary" className="child-form-help">
              {t('childForm.guardianshipHelp')}
            </Typography.Paragraph>
          </Col>
          {(['abuse', 'abandonment', 'improperCare'] as const).map((key) => (
            <Col xs={24} md={12} key={key}>
              <Form.Item name={['guardianship', key]} valuePropName="checked" className="child-form-check">
                <Checkbox>{t(`child.guardianship.${key}`)}</Checkbox>
              </Form.Item>
            </Col>
          ))}
          <Col xs={24} md={12}>
            <Form.Item name="temporaryDistress" valuePropName="checked" className="child-form-check">
              <Checkbox>{t('child.temporaryDistress')}</Checkbox>
            </Form.Item>
          </Col>
        </Section>

        <Section title={t('childForm.section.notes')} testId="section-notes">
          <Col xs={24}>
            <Form.Item name="notes" label={t('field.notes')}>
              <Input.TextArea rows={3} maxLength={1000} showCount />
            </Form.Item>
          </Col>
        </Section>

        <div className="child-form-footer">
          <Space wrap>
            <Button onClick={() => void navigate(child ? `/children/${child.id}` : '/children')}>{t('common.cancel')}</Button>
            <Button type="primary" htmlType="submit" loading={saving} data-testid="child-submit">
              {t(submitLabel)}
            </Button>
          </Space>
        </div>
      </Form>
      <DuplicateModal
        findings={duplicates}
        allowContinue={mode === 'new'}
        saving={register.isPending}
        onCancel={() => setDuplicates(null)}
        onContinue={(reason) => {
          if (pending && duplicates) registerWith(pending, { reason, candidateIds: duplicates.candidates.map((candidate) => candidate.id) });
        }}
        {...(mode === 'new' && pending?.idNumber
          ? {
              requesting: requestTransfer.isPending,
              onRequestTransfer: (note: string) => {
                const idNumber = pending.idNumber!;
                requestTransfer.mutate(
                  { idNumber, name: pending.name, regionCode: pending.regionCode, note },
                  {
                    onSuccess: () => {
                      setDuplicates(null);
                      void message.success(t('duplicate.transferSent'));
                      void navigate('/worklist');
                    },
                    onError: (error) => showError(error),
                  },
                );
              },
            }
          : {})}
      />
    </>
  );
}

export function ChildNewPage() {
  const t = useT();
  return (
    <div className="child-form-page">
      <PageHeader title={t('childForm.titleNew')} />
      <ChildForm mode="new" initial={NEW_VALUES} />
    </div>
  );
}

/**
 * Editing does not reveal the protected numbers: the form shows them masked,
 * and the PUT leaves out every number the user did not change, which the
 * server then keeps (ChildUpdate). No reveal, so no audit row, to open a form.
 */
export function ChildEditPage() {
  const t = useT();
  const { id } = useParams();
  const [search] = useSearchParams();
  // ?outbox=<item>: a correction made offline and held because the file changed meanwhile, laid over the file as it is now.
  const heldId = search.get('outbox');
  const child = useChild(id);
  const held = useQuery({ queryKey: ['outbox', 'held', heldId], queryFn: () => heldCorrection(heldId ?? ''), enabled: heldId !== null });
  const detail = child.data;

  if (child.isPending || (heldId !== null && held.isPending)) {
    return (
      <div className="full-page-center">
        <Spin size="large" />
      </div>
    );
  }
  if (child.isError) return <Result status="warning" title={child.error.message} />;
  if (!detail) return null;
  if (!['pending', 'returned', 'active'].includes(detail.status)) {
    return <Result status="info" title={t('childForm.notEditable', { status: enumLabel(t, 'status', detail.status) })} />;
  }
  return (
    <div className="child-form-page">
      <PageHeader title={t('childForm.titleEdit', { name: detail.name })} />
      {held.data ? <Alert type="warning" showIcon className="child-form-alert" data-testid="held-correction" message={t('childForm.heldCorrection', { count: held.data.length })} /> : null}
      <ChildForm
        key={detail.version}
        mode="edit"
        child={detail}
        initial={held.data ? withChanges(fromDetail(detail), held.data) : fromDetail(detail)}
        onSaved={held.data && heldId ? () => void settleHeldCorrection(heldId) : undefined}
      />
    </div>
  );
}
