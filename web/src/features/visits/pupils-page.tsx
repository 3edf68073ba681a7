/**
 * A school contact's pupils (学校联络人 · 我的学生): the pupils of his school
 * who are in the register, and the vacation home visit (寒暑假家访) form in
 * its teacher variant, also to correct his own visit within 24 hours (修改).
 * He never sees the child file itself.
 */
import { EditOutlined, FormOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Card, Empty, Input, List, Pagination, Result, Segmented, Select, Skeleton, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import type { PupilSummary, VisitCorrection, VisitRecord } from '../../../../domain/visits/schema.js';
import { isApiError } from '../../shared/api/client.js';
import { useSession } from '../../shared/api/session.js';
import { useCorrectPupilVisit, usePupilFacets, usePupilVisit, usePupils, useRecordPupilVisit } from './api.js';
import { PageHeader } from '../../shared/page-header.js';
import { VacationLabel } from '../../shared/vacation-label.js';
import { positiveIntParam, useUrlParams } from '../../shared/url-params.js';
import { useDebouncedValue } from '../../shared/use-debounced-value.js';
import { useT } from './strings.js';
import { enumLabel } from '../../shared/i18n/child-labels.js';
import { clearVisitDraft, draftKeyOf, newVisitValues, useVisitDraft, visitValuesOf } from './visit-values.js';
import { VisitForm } from './visit-form-page.js';

const PAGE_SIZE = 20;

function PupilRow({ pupil }: { pupil: PupilSummary }) {
  const t = useT();
  return (
    <List.Item className={pupil.correctableVisit ? 'pupil-row pupil-row-correctable' : 'pupil-row'} data-testid="pupil-row">
      <div className="pupil-main">
        <div className="pupil-title">
          <Typography.Text strong>{pupil.name}</Typography.Text>
          <Typography.Text type="secondary">
            {enumLabel(t, 'sex', pupil.sex)} · {t('child.ageYears', { age: pupil.age })}
            {pupil.grade || pupil.className ? ` · ${[pupil.grade, pupil.className].filter(Boolean).join(' ')}` : ''}
          </Typography.Text>
        </div>
        <Typography.Text type="secondary" className="pupil-meta">
          {pupil.region.name} · {pupil.lastVacationVisitDate ? t('pupils.lastVisit', { date: pupil.lastVacationVisitDate }) : t('pupils.never')}
        </Typography.Text>
        <span>
          <Tag color={pupil.visitedThisVacation ? 'green' : 'orange'} data-testid="pupil-vacation-state">
            {t(pupil.visitedThisVacation ? 'pupils.visited' : 'pupils.notVisited')}
          </Tag>
        </span>
      </div>
      <div className="pupil-actions">
        {pupil.correctableVisit ? (
          <Link to={`/pupils/visits/${pupil.correctableVisit.id}/edit`} aria-label={t('pupils.correctVisitLabel', { date: pupil.correctableVisit.visitDate })}>
            <Button icon={<EditOutlined />} data-testid="pupil-visit-correct">
              {t('pupils.correctVisit')}
            </Button>
          </Link>
        ) : null}
        <Link to={`/pupils/${pupil.id}/visits/new`} state={{ name: pupil.name }}>
          <Button type="primary" icon={<FormOutlined />} data-testid="pupil-visit">
            {t('pupils.recordVisit')}
          </Button>
        </Link>
      </div>
    </List.Item>
  );
}

export function PupilsPage() {
  const t = useT();
  const [params, update] = useUrlParams();
  const q = params.get('q') ?? '';
  const grade = params.get('grade') ?? undefined;
  const className = params.get('class') ?? undefined;
  const notVisited = params.get('notVisited') === 'true';
  const page = positiveIntParam(params.get('page'), 1);
  const [searchText, setSearchText] = useState(q);
  const debounced = useDebouncedValue(searchText.trim(), 300);
  useEffect(() => {
    if (debounced !== q) update({ q: debounced || undefined, page: undefined });
  }, [debounced]);
  // Back/forward changes the URL: the search box follows it.
  useEffect(() => setSearchText(q), [q]);
  const pupils = usePupils({ q: q || undefined, grade, class: className, notVisited: notVisited ? 'true' : undefined, page, pageSize: PAGE_SIZE });
  const facets = usePupilFacets(grade);
  const filtered = !!(q || grade || className || notVisited);

  return (
    <div className="pupils-page">
      <PageHeader title={t('pupils.title')} />
      <Card size="small">
        {facets.data ? (
          <div className="pupils-vacation">
            <VacationLabel vacation={facets.data.vacation} />
            <Typography.Text type="secondary" className="pupils-vacation-note">
              {t('pupils.vacationNote')}
            </Typography.Text>
          </div>
        ) : null}
        <Segmented<'all' | 'notVisited'>
          block
          className="pupils-visit-filter"
          data-testid="pupils-not-visited"
          value={notVisited ? 'notVisited' : 'all'}
          options={[
            { value: 'all', label: t('pupils.filter.all') },
            { value: 'notVisited', label: t('pupils.filter.notVisited') },
          ]}
          onChange={(value) => update({ notVisited: value === 'notVisited' ? 'true' : undefined, page: undefined })}
        />
        <div className="filter-bar pupils-filters">
          <Input.Search
            allowClear
            className="pupils-search"
            placeholder={t('pupils.search')}
            value={searchText}
            onChange={(event) => setSearchText(event.target.value)}
            onSearch={(value) => update({ q: value.trim() || undefined, page: undefined })}
            data-testid="pupils-search"
          />
          <Select<string>
            allowClear
            className="pupils-filter-select"
            placeholder={t('pupils.filter.grade')}
            value={grade}
            data-testid="pupils-grade"
            options={(facets.data?.grades ?? []).map((value) => ({ value, label: value }))}
            onChange={(value) => update({ grade: value, class: undefined, page: undefined })}
          />
          <Select<string>
            allowClear
            className="pupils-filter-select"
            placeholder={t('pupils.filter.class')}
            value={className}
            data-testid="pupils-class"
            options={(facets.data?.classes ?? []).map((value) => ({ value, label: value }))}
            onChange={(value) => update({ class: value, page: undefined })}
          />
        </div>
        {pupils.isPending ? (
          <Skeleton active />
        ) : pupils.isError ? (
          <Empty description={pupils.error.message} />
        ) : pupils.data.items.length === 0 ? (
          <Empty description={t(filtered ? 'pupils.emptyFiltered' : 'pupils.empty')} />
        ) : (
          <>
            <Typography.Text type="secondary" className="pupils-total" data-testid="pupils-total">
              {t('pupils.total', { total: pupils.data.total })}
            </Typography.Text>
            <List dataSource={pupils.data.items} renderItem={(pupil) => <PupilRow pupil={pupil} />} data-testid="pupil-list" />
            {pupils.data.total > PAGE_SIZE ? (
              <Pagination
                size="small"
                className="pupils-pagination"
                current={page}
                pageSize={PAGE_SIZE}
                total={pupils.data.total}
                showSizeChanger={false}
                onChange={(next) => update({ page: next === 1 ? undefined : String(next) })}
              />
            ) : null}
          </>
        )}
      </Card>
    </div>
  );
}

/** /pupils/:id/visits/new: the vacation home visit in its teacher variant (kind fixed, dropout risk, a short checklist). */
export function PupilVisitPage() {
  const { id = '' } = useParams();
  const me = useSession();
  const draftKey = draftKeyOf(me.user.id, `pupil.${id}`);
  const [generation, setGeneration] = useState(0);
  return (
    <PupilVisitForm
      key={`${id}.${generation}`}
      pupilId={id}
      draftKey={draftKey}
      onDiscardDraft={() => {
        clearVisitDraft(draftKey);
        setGeneration((n) => n + 1);
      }}
    />
  );
}

function PupilVisitForm({ pupilId, draftKey, onDiscardDraft }: { pupilId: string; draftKey: string; onDiscardDraft: () => void }) {
  const t = useT();
  const location = useLocation();
  // The list hands over the name; after a reload the draft still holds the visit, and the title says what it is.
  const state: unknown = location.state;
  const name = state && typeof state === 'object' && 'name' in state && typeof state.name === 'string' ? state.name : null;
  const record = useRecordPupilVisit(pupilId);
  const draft = useVisitDraft(draftKey, () => newVisitValues('school_vacation'));
  if (!draft) return <Skeleton active paragraph={{ rows: 8 }} />;
  const { id, initial, restored } = draft;
  return (
    <VisitForm
      variant="school"
      title={name ? t('visit.titleSchool', { name }) : t('visit.kind.school_vacation')}
      visitId={id}
      initial={{ ...initial, kind: 'school_vacation' }}
      restored={restored}
      draftKey={draftKey}
      onDiscardDraft={onDiscardDraft}
      task={null}
      save={(input, callbacks) => record.mutate({ id, ...input }, callbacks)}
      saving={record.isPending}
      backTo="/pupils"
      upload={null}
    />
  );
}

/** /pupils/visits/:visitId/edit: the teacher corrects his own vacation visit within 24 hours of recording it. */
export function PupilVisitEditPage() {
  const { visitId = '' } = useParams();
  const t = useT();
  const visit = usePupilVisit(visitId);
  if (visit.isPending) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (visit.isError) return <Result status={isApiError(visit.error) && visit.error.status === 404 ? '404' : 'warning'} title={t('visit.notFound')} subTitle={visit.error.message} />;
  const record = visit.data;
  if (record.correction !== 'author') {
    return (
      <Result
        status="info"
        title={t('visit.correctionClosed')}
        extra={
          <Link to="/pupils">
            <Button>{t('visit.back')}</Button>
          </Link>
        }
      />
    );
  }
  // A new version (after a conflict, or a save) mounts a fresh form with its values.
  return <CorrectPupilVisit key={`${record.id}.${record.version}`} record={record} />;
}

function CorrectPupilVisit({ record }: { record: VisitRecord }) {
  const t = useT();
  const queryClient = useQueryClient();
  const correct = useCorrectPupilVisit(record.id);
  return (
    <VisitForm
      variant="school"
      title={t('visit.titleSchoolCorrection', { name: record.childName })}
      subtitle={record.visitDate}
      visitId={record.id}
      initial={visitValuesOf(record)}
      restored={false}
      draftKey={null}
      task={null}
      record={record}
      save={(input, callbacks) => {
        const { campaignTaskId: _task, ...rest } = input;
        const body: VisitCorrection = { ...rest, gps: record.gps ?? null, version: record.version, reason: null };
        correct.mutate(body, callbacks);
      }}
      saving={correct.isPending}
      backTo="/pupils"
      upload={null}
      onConflict={() => void queryClient.invalidateQueries({ queryKey: ['pupils', 'visit', record.id] })}
    />
  );
}
