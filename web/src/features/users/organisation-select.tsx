import { Select, Spin } from 'antd';
import { useState } from 'react';
import type { OrganisationKind } from '../../../../domain/roles.js';
import { useOrganisations } from '../organisations/api.js';
import { useT } from './strings.js';
import { organisationKindLabel } from '../../shared/i18n/labels.js';
import { useDebouncedValue } from '../../shared/use-debounced-value.js';

interface OrganisationSelectProps {
  value?: string;
  onChange?: (id: string | undefined) => void;
  /** Kinds the chosen organisation may have (a school contact belongs to a school …). */
  kinds?: readonly OrganisationKind[];
  /** Name to show for `value` before the list has loaded it. */
  initialLabel?: string;
  id?: string;
}

/** Searches organisations on the server as the user types. */
export function OrganisationSelect({ value, onChange, kinds, initialLabel, id }: OrganisationSelectProps) {
  const t = useT();
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search.trim());
  const onlyKind = kinds?.length === 1 ? kinds[0] : undefined;
  const list = useOrganisations({ q: q || undefined, kind: onlyKind, page: 1, pageSize: 50 });
  const options = (list.data?.items ?? [])
    .filter((org) => !kinds || kinds.includes(org.kind))
    .map((org) => ({ value: org.id, label: `${org.name} · ${organisationKindLabel(t, org.kind)} · ${org.regionName}` }));
  if (value !== undefined && !options.some((option) => option.value === value)) {
    options.unshift({ value, label: initialLabel ?? value });
  }
  return (
    <Select
      id={id}
      showSearch
      allowClear
      value={value}
      onChange={(next: string | undefined) => onChange?.(next)}
      filterOption={false}
      onSearch={setSearch}
      options={options}
      placeholder={t('users.form.organisationPlaceholder')}
      notFoundContent={list.isFetching ? <Spin size="small" /> : undefined}
    />
  );
}
