import { describe, expect, it } from 'vitest';
import { CHECKLIST_ITEMS, VACATION_CHECKLIST_ITEMS, VisitInput, missingChecklistItem, type CampaignTaskDetail, type VisitRecord } from '../../../../domain/visits/schema.js';
import { allFineChecklist, formFieldOf, knownFields, newVisitValues, sameFactors, todayInChina, unansweredItems, visitInputOf, visitValuesOf, type VisitFormValues } from './visit-values.js';

const task: CampaignTaskDetail = {
  id: 'task-1',
  campaignId: 'c1',
  campaignName: '委托照护年度核查',
  campaignStatus: 'open',
  startDate: '2026-11-01',
  endDate: '2026-12-31',
  checklist: [
    { key: 'carer_present', label: '照护人仍在且有能力' },
    { key: 'letter_signed', label: '已签监护责任书' },
  ],
  childId: 'child-1',
  childName: '向慧雯',
  status: 'open',
  visitId: null,
};

describe('the visit form values', () => {
  it('a home visit untouched answers nothing: child seen, no checklist item taken as fine, no factor claimed as checked', () => {
    const values = newVisitValues('home');
    const input = visitInputOf(values, 'visit', null);
    expect(input.seenInPerson).toBe(true);
    expect(input.present).toEqual(['child']);
    expect(input.checklist).toEqual({});
    expect(input.checklistAllFine).toBe(false);
    expect(missingChecklistItem('home', input.checklist)).toBe('safety');
    expect(unansweredItems(values, CHECKLIST_ITEMS)).toEqual([...CHECKLIST_ITEMS]);
    expect(input.factors).toEqual({});
    expect(input.dropoutRisk).toBeNull();
    expect(input.campaignTaskId).toBeNull();
    expect(input.campaignAnswers).toBeNull();
  });

  it('the 全部正常 tap answers every item fine and is sent as such; a quiet visit is then a valid VisitInput', () => {
    const values = { ...newVisitValues('home'), checklist: allFineChecklist(CHECKLIST_ITEMS), checklistAllFine: true };
    expect(unansweredItems(values, CHECKLIST_ITEMS)).toEqual([]);
    const input = visitInputOf(values, 'visit', null);
    expect(() => VisitInput.parse({ id: '0193a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b', ...input })).not.toThrow();
    expect(Object.values(input.checklist).every((answer) => answer?.rating === 'fine' && answer.note === null)).toBe(true);
    expect(input.checklistAllFine).toBe(true);
    // An item not fine any more: not "all fine".
    values.checklist.health = { rating: 'concern', note: '咳嗽' };
    expect(visitInputOf(values, 'visit', null).checklistAllFine).toBe(false);
  });

  it('a phone call starts without the child seen in person', () => {
    const values = newVisitValues('phone');
    expect(values.seenInPerson).toBe(false);
    expect(values.present).toEqual([]);
  });

  it('sends yes as true, no as false, and leaves out a factor not checked', () => {
    const values = newVisitValues('home');
    values.factors.living_alone = 'no';
    values.factors.self_harm_talk = 'yes';
    expect(visitInputOf(values, 'visit', null).factors).toEqual({ living_alone: false, self_harm_talk: true });
  });

  it('keeps a note only for an item not fine, trimmed', () => {
    const values = newVisitValues('home');
    values.checklist.health = { rating: 'fine', note: 'typed, then set back to fine' };
    values.checklist.emotional_state = { rating: 'serious', note: '  整夜哭  ' };
    values.checklist.needs = { rating: 'concern', note: '   ' };
    const { checklist } = visitInputOf(values, 'visit', null);
    expect(checklist.health).toEqual({ rating: 'fine', note: null });
    expect(checklist.emotional_state).toEqual({ rating: 'serious', note: '整夜哭' });
    expect(checklist.needs).toEqual({ rating: 'concern', note: null });
  });

  it("a school contact's visit sends the dropout flag and never claims risk factors", () => {
    const values = newVisitValues('school_vacation');
    values.dropoutRisk = true;
    values.factors.abuse_signs = 'yes';
    const input = visitInputOf(values, 'school', null);
    expect(input.dropoutRisk).toBe(true);
    expect(input.factors).toEqual({});
    expect(input.kind).toBe('school_vacation');
  });

  it("the teacher's form sends the items it asks, and leaves the others out (not asked, never fine)", () => {
    const values = newVisitValues('school_vacation');
    expect(Object.keys(values.checklist).sort()).toEqual(['emotional_state', 'needs', 'safety', 'schooling']);
    values.checklist = allFineChecklist(VACATION_CHECKLIST_ITEMS);
    values.checklist.schooling = { rating: 'concern', note: '想随父母外出' };
    const input = visitInputOf(values, 'school', null);
    expect(input.checklist).toEqual({ schooling: { rating: 'concern', note: '想随父母外出' }, emotional_state: { rating: 'fine', note: null }, safety: { rating: 'fine', note: null }, needs: { rating: 'fine', note: null } });
    expect(input.checklist.living_conditions).toBeUndefined();
    expect(VisitInput.safeParse({ ...input, id: '0193a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b' }).success).toBe(true);
  });

  it('a correction starts from the items the visit answered, and sends those alone', () => {
    const record = { ...visitInputOf({ ...newVisitValues('school_vacation'), checklist: allFineChecklist(VACATION_CHECKLIST_ITEMS) }, 'school', null), photos: [] } as unknown as VisitRecord;
    const values = visitValuesOf(record);
    expect(values.checklist.health).toBeUndefined();
    expect(Object.keys(visitInputOf(values, 'school', null).checklist).sort()).toEqual(['emotional_state', 'needs', 'safety', 'schooling']);
  });

  it('a key verification sends the task and an answer for every campaign item', () => {
    const values: VisitFormValues = { ...newVisitValues('key_verification'), campaignAnswers: { carer_present: { ok: 'yes' }, letter_signed: { ok: 'no', note: ' 未签 ' } } };
    const input = visitInputOf(values, 'campaign', task);
    expect(input.campaignTaskId).toBe('task-1');
    expect(input.campaignAnswers).toEqual({ carer_present: { ok: true, note: null }, letter_signed: { ok: false, note: '未签' } });
  });

  it('a saved visit comes back into the form as it was sent (a correction starts from it)', () => {
    const values = newVisitValues('home');
    values.checklist = allFineChecklist(CHECKLIST_ITEMS);
    values.present = ['child', 'grandparent'];
    values.checklist.schooling = { rating: 'concern', note: '常缺课' };
    values.factors.carer_unfit = 'no';
    values.notes = '奶奶腿脚不便';
    values.followUps = [{ kind: 'revisit', note: '两周后' }];
    values.photos = [{ id: 'p1', url: '/api/files/p1', uploadedAt: '2026-11-30T02:00:00Z' }];
    const { photoIds: _ids, ...sent } = visitInputOf(values, 'visit', null);
    const record: VisitRecord = {
      ...sent,
      id: 'v1',
      childId: 'child-1',
      childName: '向慧雯',
      region: { code: '431202001201', name: '寨林村', level: 'village' },
      visitor: { id: 'u1', name: '郭军文', role: 'director' },
      photos: values.photos,
      dueDate: null,
      onTime: null,
      createdAt: '2026-11-30T02:00:00Z',
      updatedAt: '2026-11-30T02:00:00Z',
      version: 1,
      corrected: false,
      correction: 'author',
    };
    expect(visitInputOf(visitValuesOf(record), 'correction', null)).toEqual(visitInputOf(values, 'visit', null));
  });

  it('tells whether a correction changed the risk factors', () => {
    expect(sameFactors({ living_alone: false, psych_concern: true }, { psych_concern: true, living_alone: false })).toBe(true);
    expect(sameFactors({ psych_concern: true }, { psych_concern: true, living_alone: false })).toBe(false);
    expect(sameFactors({ psych_concern: true }, { psych_concern: false })).toBe(false);
  });

  it('names the form field of a server validation error, or none', () => {
    const known = knownFields(task);
    expect(formFieldOf('checklist.safety.note', known)).toEqual(['checklist', 'safety', 'note']);
    // An unanswered item: its answer buttons.
    expect(formFieldOf('checklist.needs', known)).toEqual(['checklist', 'needs', 'rating']);
    expect(formFieldOf('checklistAllFine', known)).toEqual(['checklistAllFine']);
    expect(formFieldOf('visitDate', known)).toEqual(['visitDate']);
    expect(formFieldOf('photoIds', known)).toEqual(['photos']);
    expect(formFieldOf('photoIds.3', known)).toEqual(['photos']);
    expect(formFieldOf('followUps.0.note', known)).toEqual(['followUps']);
    expect(formFieldOf('campaignAnswers.letter_signed.ok', known)).toEqual(['campaignAnswers', 'letter_signed', 'ok']);
    expect(formFieldOf('gps.lat', known)).toBeNull();
  });

  it('counts days in China time: 01:00 on the 1st in Beijing is still the 30th in UTC', () => {
    expect(todayInChina(new Date('2026-11-30T17:00:00Z'))).toBe('2026-12-01');
    expect(todayInChina(new Date('2026-11-30T15:59:59Z'))).toBe('2026-11-30');
  });
});
