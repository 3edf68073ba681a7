import type { WorklistKind } from '../../../../domain/visits/schema.js';
import { useWorklistCounts } from './api.js';
import { useT, type MessageKey } from './strings.js';
import { WorkCard } from '../../shared/work-tiles.js';

const TILES: { kind: WorklistKind; label: MessageKey; colour: string }[] = [
  { kind: 'overdue', label: 'home.worklist.overdue', colour: '#cf1322' },
  { kind: 'due_this_week', label: 'home.worklist.dueThisWeek', colour: '#d46b08' },
  { kind: 'never_visited', label: 'home.worklist.neverVisited', colour: '#d46b08' },
  { kind: 'unseen', label: 'home.worklist.unseen', colour: '#d46b08' },
  { kind: 'letters_missing', label: 'home.worklist.lettersMissing', colour: '#d46b08' },
  { kind: 'facts_missing', label: 'home.worklist.factsMissing', colour: '#cf1322' },
];

/** The home page's first card for those who visit or oversee visits: what is waiting, one tap from each list. */
export function WorklistHomeCard() {
  const t = useT();
  const counts = useWorklistCounts(undefined);
  const dueToday = counts.data?.dueToday ?? 0;
  return (
    <WorkCard
      testId="home-worklist"
      title={t('home.worklist.title')}
      to="/worklist"
      open={t('home.worklist.open')}
      error={counts.error}
      loading={counts.isPending}
      tiles={TILES.map((tile) => ({
        key: tile.kind,
        label: t(tile.label),
        value: counts.data?.counts[tile.kind],
        to: tile.kind === 'overdue' ? '/worklist' : `/worklist?tab=${tile.kind}`,
        colour: tile.colour,
        note:
          tile.kind === 'due_this_week' && dueToday > 0 ? (
            <span className="home-worklist-today" data-testid="home-worklist-due-today">
              {t('home.worklist.dueToday', { count: dueToday })}
            </span>
          ) : null,
      }))}
    />
  );
}
