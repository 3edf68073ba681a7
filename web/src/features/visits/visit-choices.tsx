/**
 * The visit form's controls, made to be used by thumb on a 360 px phone: big
 * segmented buttons, tappable tags, and notes that appear only when needed.
 * Each takes `value` / `onChange` so that it sits inside an antd Form.Item.
 */
import { Input, Radio, Tag } from 'antd';
import type { ReactNode } from 'react';
import { FOLLOW_UP_KINDS } from '../../../../domain/visits/schema.js';
import { useT } from './strings.js';
import { visitLabel } from '../../shared/i18n/visit-labels.js';

export interface Choice<T extends string> {
  value: T;
  label: ReactNode;
  /** Colour of the chosen button: 'ok' light green, 'muted' grey, 'warn' orange, 'danger' red; the theme colour otherwise. */
  tone?: 'ok' | 'muted' | 'warn' | 'danger';
}

interface ChoiceButtonsProps<T extends string> {
  choices: readonly Choice<T>[];
  value?: T;
  onChange?: (value: T) => void;
  id?: string;
  disabled?: boolean;
  /** 'grid': wraps into equal columns (the visit kinds); 'row': one line of equal buttons. */
  layout?: 'grid' | 'row';
  testId?: string;
  ariaLabel?: string;
}

/** One choice among a few, as a row (or grid) of large buttons. */
export function ChoiceButtons<T extends string>({ choices, value, onChange, id, disabled, layout = 'row', testId, ariaLabel }: ChoiceButtonsProps<T>) {
  const chosen = choices.find((choice) => choice.value === value);
  return (
    <Radio.Group
      id={id}
      value={value}
      disabled={disabled}
      optionType="button"
      buttonStyle="solid"
      aria-label={ariaLabel}
      className={`visit-choice visit-choice-${layout}${chosen?.tone ? ` visit-tone-${chosen.tone}` : ''}`}
      data-testid={testId}
      onChange={(event) => onChange?.(event.target.value as T)}
    >
      {choices.map((choice) => (
        <Radio.Button key={choice.value} value={choice.value}>
          {choice.label}
        </Radio.Button>
      ))}
    </Radio.Group>
  );
}

interface TagPickerProps<T extends string> {
  options: readonly T[];
  label: (value: T) => string;
  value?: T[];
  onChange?: (value: T[]) => void;
  id?: string;
  testId?: string;
}

/** Several of a few, as tags that a tap turns on and off. */
export function TagPicker<T extends string>({ options, label, value = [], onChange, id, testId }: TagPickerProps<T>) {
  const toggle = (option: T, on: boolean) => onChange?.(on ? options.filter((o) => o === option || value.includes(o)) : value.filter((o) => o !== option));
  return (
    <div className="visit-tags" id={id} data-testid={testId}>
      {options.map((option) => (
        <Tag.CheckableTag key={option} checked={value.includes(option)} onChange={(on) => toggle(option, on)} className="visit-tag">
          {label(option)}
        </Tag.CheckableTag>
      ))}
    </div>
  );
}

export type FollowUpKind = (typeof FOLLOW_UP_KINDS)[number];
export interface FollowUpValue {
  kind: FollowUpKind;
  note?: string;
}

/** Follow-up actions: a tag per kind, each chosen one with a line for what is to be done. */
export function FollowUpPicker({ value = [], onChange, id }: { value?: FollowUpValue[]; onChange?: (value: FollowUpValue[]) => void; id?: string }) {
  const t = useT();
  const chosen = value.map((item) => item.kind);
  const setKinds = (kinds: FollowUpKind[]) => onChange?.(kinds.map((kind) => value.find((item) => item.kind === kind) ?? { kind }));
  const setNote = (kind: FollowUpKind, note: string) => onChange?.(value.map((item) => (item.kind === kind ? { ...item, note } : item)));
  return (
    <div id={id} className="visit-follow-ups">
      <TagPicker options={FOLLOW_UP_KINDS} label={(kind) => visitLabel(t, 'followUp', kind)} value={chosen} onChange={setKinds} testId="visit-follow-ups" />
      {value.map((item) => (
        <Input
          key={item.kind}
          className="visit-follow-up-note"
          addonBefore={visitLabel(t, 'followUp', item.kind)}
          value={item.note ?? ''}
          maxLength={500}
          placeholder={t(item.kind === 'other' ? 'visit.followUpOtherPlaceholder' : 'visit.followUpPlaceholder')}
          onChange={(event) => setNote(item.kind, event.target.value)}
          data-testid={`visit-follow-up-${item.kind}`}
        />
      ))}
    </div>
  );
}
