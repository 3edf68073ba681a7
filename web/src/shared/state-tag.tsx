/**
 * The tag of one state of a state machine (a referral, an order, a report, a
 * child file, a campaign): the machine's colour for the state, its word, and
 * the state itself as `data-state` for tests and styles.
 */
import { Tag } from 'antd';

export interface StateTagProps<S extends string> {
  state: S;
  colours: Readonly<Record<S, string>>;
  label: string;
  testId?: string;
  className?: string;
}

export function StateTag<S extends string>({ state, colours, label, testId, className }: StateTagProps<S>) {
  return (
    <Tag color={colours[state]} data-testid={testId} data-state={state} className={className}>
      {label}
    </Tag>
  );
}
