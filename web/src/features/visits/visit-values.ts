/**
 * The visit form's values and what they become: the API's VisitInput, a saved
 * visit back as values (corrections), the draft kept on the phone, and the
 * server's field names mapped to the form's. No React rendering here, so the
 * rules can be tested on their own.
 */
import { useEffect, useState } from 'react';
import { v7 as uuidv7 } from 'uuid';
import type { FileRef } from '../../../../domain/children/schema.js';
import { chinaToday } from '../../../../domain/china-time.js';
import { VISIT_FACTORS, type VisitFactor } from '../../../../domain/visits/risk.js';
import { CHECKLIST_ITEMS, VISIT_KINDS, askedChecklistItems, type ChecklistItem, type PRESENT_PEOPLE, type VisitInput, type VisitKind, type VisitRecord } from '../../../../domain/visits/schema.js';
import type { CampaignTask } from './api.js';
import type { FollowUpValue } from './visit-choices.js';
import { clearSealedDraft, readSealedDraft, writeSealedDraft } from '../../shared/offline/bridge.js';

/** Today where the users are (China Standard Time), as the server counts visit dates and due dates. */
export const todayInChina = (now: Date = new Date()): string => chinaToday(now);

export type Rating = 'fine' | 'concern' | 'serious';
export type FactorAnswer = 'unchecked' | 'no' | 'yes';
export type YesNo = 'yes' | 'no';
type PresentPerson = (typeof PRESENT_PEOPLE)[number];

/** The form's values: VisitInput with the factors and campaign answers as words, and the photos as references. */
export interface VisitFormValues {
  visitDate: string;
  kind: VisitKind;
  seenInPerson: boolean;
  present: PresentPerson[];
  /** The items the form asks, each unanswered (no rating) until somebody answers it; an item absent was not asked (a teacher's vacation visit asks fewer). */
  checklist: Partial<Record<ChecklistItem, { rating?: Rating; note?: string }>>;
  /** Set by the 全部正常 tap; any later answer by hand clears it. */
  checklistAllFine?: boolean;
  factors: Record<VisitFactor, FactorAnswer>;
  notes?: string;
  followUps: FollowUpValue[];
  photos: FileRef[];
  campaignAnswers: Record<string, { ok?: YesNo; note?: string }>;
  dropoutRisk: boolean;
  reason?: string;
}

/** What the form shows and where it sends it. */
export type VisitVariant = 'visit' | 'campaign' | 'school' | 'correction';

/** Staff record every kind but the school contacts' vacation visit. */
export const STAFF_KINDS: readonly VisitKind[] = VISIT_KINDS.filter((kind) => kind !== 'school_vacation');

/** Every item the kind asks, unanswered: nothing is "fine" until somebody says so. The others are left out (not asked). */
const blankChecklist = (kind: VisitKind): VisitFormValues['checklist'] => Object.fromEntries(askedChecklistItems(kind).map((item) => [item, {}]));

/** The asked items not answered yet, in the order the form shows them. */
export function unansweredItems(values: Pick<VisitFormValues, 'checklist'>, items: readonly ChecklistItem[]): ChecklistItem[] {
  return items.filter((item) => !values.checklist[item]?.rating);
}

/** The 全部正常 tap: every item shown answered "fine", and the tap recorded. */
export function allFineChecklist(items: readonly ChecklistItem[]): VisitFormValues['checklist'] {
  return Object.fromEntries(items.map((item) => [item, { rating: 'fine' }]));
}
const blankFactors = (): VisitFormValues['factors'] => Object.fromEntries(VISIT_FACTORS.map((f) => [f, 'unchecked'])) as VisitFormValues['factors'];

export function newVisitValues(kind: VisitKind): VisitFormValues {
  return {
    visitDate: todayInChina(),
    kind,
    seenInPerson: kind !== 'phone',
    present: kind === 'phone' ? [] : ['child'],
    checklist: blankChecklist(kind),
    factors: blankFactors(),
    followUps: [],
    photos: [],
    campaignAnswers: {},
    dropoutRisk: false,
  };
}

export const trimmed = (text: string | undefined | null) => text?.trim() || null;

/** The form's values as the API's VisitInput (without id). */
export function visitInputOf(values: VisitFormValues, variant: VisitVariant, task: CampaignTask | null): Omit<VisitInput, 'id'> {
  const factors: VisitInput['factors'] = {};
  // A school contact's form does not ask about the factors: none is sent (not checked).
  if (variant !== 'school') {
    for (const f of VISIT_FACTORS) {
      const answer = values.factors[f];
      if (answer === 'yes') factors[f] = true;
      if (answer === 'no') factors[f] = false;
    }
  }
  // Only the items the form asked: one left out was not asked (未询问), which is not "fine".
  const checklist = Object.fromEntries(
    CHECKLIST_ITEMS.flatMap((item) => {
      const answer = values.checklist[item];
      return answer?.rating ? [[item, { rating: answer.rating, note: answer.rating === 'fine' ? null : trimmed(answer.note) }]] : [];
    }),
  ) as VisitInput['checklist'];
  const campaignAnswers = task
    ? Object.fromEntries(task.checklist.map(({ key }) => [key, { ok: values.campaignAnswers[key]?.ok === 'yes', note: trimmed(values.campaignAnswers[key]?.note) }]))
    : null;
  const asked = askedChecklistItems(values.kind);
  return {
    visitDate: values.visitDate,
    kind: values.kind,
    seenInPerson: values.seenInPerson,
    present: values.present,
    checklist,
    // The tap counts only while every asked item is still fine (an answer by hand clears it anyway).
    checklistAllFine: values.checklistAllFine === true && asked.every((item) => checklist[item]?.rating === 'fine'),
    factors,
    notes: trimmed(values.notes),
    followUps: values.followUps.map((item) => ({ kind: item.kind, note: trimmed(item.note) })),
    photoIds: values.photos.map((photo) => photo.id),
    dropoutRisk: variant === 'school' ? values.dropoutRisk : null,
    campaignTaskId: task?.id ?? null,
    campaignAnswers,
  };
}

/** Whether two visits answered the risk factors alike (a factor left out was not checked). */
export function sameFactors(a: VisitInput['factors'], b: VisitInput['factors']): boolean {
  return VISIT_FACTORS.every((f) => a[f] === b[f]);
}

/** A saved visit as form values (a correction starts from it). */
export function visitValuesOf(record: VisitRecord): VisitFormValues {
  const factors = blankFactors();
  for (const f of VISIT_FACTORS) {
    const seen = record.factors[f];
    if (seen !== undefined) factors[f] = seen ? 'yes' : 'no';
  }
  // The items the visit answered, and those alone: a correction does not answer what was not asked.
  const checklist: VisitFormValues['checklist'] = {};
  for (const item of CHECKLIST_ITEMS) {
    const answer = record.checklist[item];
    if (answer) checklist[item] = { rating: answer.rating, note: answer.note ?? undefined };
  }
  return {
    visitDate: record.visitDate,
    kind: record.kind,
    seenInPerson: record.seenInPerson,
    present: record.present,
    checklist,
    checklistAllFine: record.checklistAllFine === true,
    factors,
    notes: record.notes ?? undefined,
    followUps: record.followUps.map((item) => ({ kind: item.kind, note: item.note ?? undefined })),
    photos: record.photos,
    campaignAnswers: Object.fromEntries(Object.entries(record.campaignAnswers ?? {}).map(([key, answer]) => [key, { ok: answer.ok ? 'yes' : 'no', note: answer.note ?? undefined }])),
    dropoutRisk: record.dropoutRisk ?? false,
  };
}

// ---------------------------------------------------------------- drafts

export interface VisitDraft {
  id: string;
  savedAt: number;
  values: VisitFormValues;
}

const DRAFT_PREFIX = 'shouhu.visitDraft.';
/** A draft older than this is dropped: it is not a record, and the device may be shared. */
const DRAFT_MAX_AGE_MS = 7 * 24 * 3_600_000;

export function draftKeyOf(userId: string, subject: string): string {
  return `${DRAFT_PREFIX}${userId}.${subject}`;
}

/** A draft as it was stored, completed with the fields a newer form has; null when it is not one. */
function completeDraft(raw: unknown): VisitDraft | null {
  const draft = raw as VisitDraft | null;
  if (!draft || typeof draft.id !== 'string' || typeof draft.savedAt !== 'number' || Date.now() - draft.savedAt > DRAFT_MAX_AGE_MS) return null;
  // A draft from an older form may lack newer fields: the defaults fill them in.
  const blank = newVisitValues(draft.values.kind ?? 'home');
  return { ...draft, values: { ...blank, ...draft.values, checklist: { ...blank.checklist, ...draft.values.checklist }, factors: { ...blank.factors, ...draft.values.factors } } };
}

function readPlainDraft(key: string): VisitDraft | null {
  try {
    const text = window.localStorage.getItem(key);
    if (!text) return null;
    const draft = completeDraft(JSON.parse(text));
    if (!draft) window.localStorage.removeItem(key);
    return draft;
  } catch {
    return null;
  }
}

function removePlainDraft(key: string): void {
  try {
    window.localStorage.removeItem(key);
  } catch {
    // Nothing stored.
  }
}

/**
 * The draft of a form. For staff who keep the phone's store (field staff) it is sealed there (issue
 * 15: what a visit says about a child is never stored in clear); for the others, in localStorage.
 * A draft left in localStorage by an older version moves into the store.
 */
export async function readVisitDraft(key: string): Promise<VisitDraft | null> {
  const sealed = await readSealedDraft(key, DRAFT_MAX_AGE_MS).catch(() => undefined);
  if (sealed === undefined) return readPlainDraft(key);
  const plain = readPlainDraft(key);
  if (plain) {
    removePlainDraft(key);
    if (!sealed) void writeSealedDraft(key, plain);
  }
  return completeDraft(sealed) ?? plain;
}

export function writeVisitDraft(key: string, draft: VisitDraft): void {
  void writeSealedDraft(key, draft)
    .catch(() => false)
    .then((sealed) => {
      if (sealed) return;
      try {
        window.localStorage.setItem(key, JSON.stringify(draft));
      } catch {
        // Storage full or private mode: the form still works, only without a draft.
      }
    });
}

export function clearVisitDraft(key: string): void {
  removePlainDraft(key);
  void clearSealedDraft(key).catch(() => undefined);
}

/**
 * The draft of this form, or a new visit id with the given starting values: chosen once, when the form
 * opens (null while the draft is being read).
 */
export function useVisitDraft(key: string | null, fresh: () => VisitFormValues): { id: string; initial: VisitFormValues; restored: boolean } | null {
  const [state, setState] = useState<{ id: string; initial: VisitFormValues; restored: boolean } | null>(null);
  const [freshValues] = useState(fresh);
  useEffect(() => {
    let live = true;
    void (key ? readVisitDraft(key) : Promise.resolve(null)).then((draft) => {
      if (live) setState(draft ? { id: draft.id, initial: draft.values, restored: true } : { id: uuidv7(), initial: freshValues, restored: false });
    });
    return () => {
      live = false;
    };
  }, [key, freshValues]);
  return state;
}

// ---------------------------------------------------------------- server errors on fields

/** Dotted field names a server VALIDATION error may give, mapped to the form's own (photoIds → photos). */
export function formFieldOf(field: string, known: ReadonlySet<string>): (string | number)[] | null {
  // An unanswered item is named as a whole (checklist.safety): its answer is the rating.
  const segments = field.replace(/^photoIds\b/, 'photos').replace(/^(checklist\.[a-z_]+)$/, '$1.rating').split('.');
  for (let n = segments.length; n > 0; n--) {
    const path = segments.slice(0, n).join('.');
    if (known.has(path)) return segments.slice(0, n);
  }
  return null;
}

export function knownFields(task: CampaignTask | null): Set<string> {
  return new Set([
    'visitDate',
    'kind',
    'seenInPerson',
    'present',
    'notes',
    'followUps',
    'photos',
    'dropoutRisk',
    'reason',
    'factors',
    'checklistAllFine',
    ...CHECKLIST_ITEMS.flatMap((item) => [`checklist.${item}.rating`, `checklist.${item}.note`]),
    ...VISIT_FACTORS.map((f) => `factors.${f}`),
    ...(task?.checklist ?? []).flatMap(({ key }) => [`campaignAnswers.${key}.ok`, `campaignAnswers.${key}.note`, `campaignAnswers.${key}`]),
  ]);
}
