import { describe, expect, it } from 'vitest';
import { CHECKLIST_ITEMS, Checklist, VisitInput, allFineHolds, checklistConcerns, missingChecklistItem, missingChecklistItems } from './schema.js';

const fine = { rating: 'fine' as const };
const vacationOnly = { schooling: { rating: 'concern' as const, note: '想随父母外出打工' }, emotional_state: fine, safety: fine, needs: fine };
const visit = (kind: string, checklist: unknown) => ({ visitDate: '2026-07-20', kind, seenInPerson: true, present: ['child'], checklist, factors: {}, followUps: [], photoIds: [] });

describe('the visit checklist', () => {
  it('takes a vacation visit with only the items a teacher is asked, and keeps the others absent', () => {
    const parsed = VisitInput.parse(visit('school_vacation', vacationOnly));
    expect(Object.keys(parsed.checklist).sort()).toEqual(['emotional_state', 'needs', 'safety', 'schooling']);
    expect(parsed.checklist.living_conditions).toBeUndefined();
    expect(missingChecklistItem('school_vacation', parsed.checklist)).toBeNull();
  });

  it('wants every item of a staff visit, and the four of a vacation visit', () => {
    expect(missingChecklistItem('home', Checklist.parse(vacationOnly))).toBe('living_conditions');
    expect(missingChecklistItem('phone', Checklist.parse({ ...vacationOnly, living_conditions: fine, carer_care: fine }))).toBe('health');
    expect(missingChecklistItem('home', Object.fromEntries(CHECKLIST_ITEMS.map((i) => [i, fine])))).toBeNull();
    const { needs: _n, ...withoutNeeds } = vacationOnly;
    expect(missingChecklistItem('school_vacation', Checklist.parse(withoutNeeds))).toBe('needs');
  });

  it('still refuses a rating it does not know', () => {
    expect(VisitInput.safeParse(visit('school_vacation', { ...vacationOnly, health: { rating: 'unknown' } })).success).toBe(false);
  });

  it('counts an item not asked neither as a concern nor as fine', () => {
    expect(checklistConcerns({ ...vacationOnly, emotional_state: { rating: 'serious' } })).toEqual([
      { item: 'emotional_state', rating: 'serious' },
      { item: 'schooling', rating: 'concern' },
    ]);
    expect(checklistConcerns({})).toEqual([]);
  });

  it('names every unanswered item: an untouched staff checklist misses all seven, a vacation one its four', () => {
    expect(missingChecklistItems('home', {})).toEqual([...CHECKLIST_ITEMS]);
    expect(missingChecklistItems('school_vacation', {})).toEqual(['schooling', 'emotional_state', 'safety', 'needs']);
    expect(missingChecklistItems('phone', { safety: fine, needs: fine })).toEqual(['living_conditions', 'carer_care', 'schooling', 'health', 'emotional_state']);
  });

  it('holds "all fine" only where every asked item is fine', () => {
    const allFine = Object.fromEntries(CHECKLIST_ITEMS.map((i) => [i, fine]));
    expect(allFineHolds('home', allFine)).toBe(true);
    expect(allFineHolds('home', { ...allFine, health: { rating: 'concern' } })).toBe(false);
    expect(allFineHolds('home', {})).toBe(false);
    expect(allFineHolds('school_vacation', { safety: fine, schooling: fine, emotional_state: fine, needs: fine })).toBe(true);
    expect(VisitInput.parse(visit('home', allFine)).checklistAllFine).toBeUndefined();
  });
});
