/**
 * The visit form (DESIGN §4), made for a director's phone at 360 px: what a
 * quiet visit needs is a few taps (today, home visit, child seen, an answer
 * per checklist item — none is "fine" until somebody says so, 全部正常 says it
 * for all in one recorded tap), and what is out of the ordinary opens a note.
 *
 * One form, four uses: a visit of a child, the same completing a key
 * verification task (`?task=`), a school contact's vacation visit of a pupil,
 * and the correction of a saved visit.
 *
 * A new visit gets its id (UUIDv7) when the form opens and keeps it in the
 * draft, so that sending again after a lost signal records it once; the draft
 * (in localStorage, per user) also survives a reload or a killed tab.
 */
import { ArrowLeftOutlined, CheckOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, DatePicker, Form, Input, Result, Skeleton, Switch, Typography, type FormInstance } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import type { ChildDetail, FileRef } from '../../../../domain/children/schema.js';
import { VISIT_FACTORS } from '../../../../domain/visits/risk.js';
import { CHECKLIST_ITEMS, PRESENT_PEOPLE, askedChecklistItems, type ChecklistItem, type RecordedVisit, type VisitCorrection, type VisitInput, type VisitKind, type VisitRecord } from '../../../../domain/visits/schema.js';
import { useChild } from '../children/api.js';
import { ApiError, isApiError } from '../../shared/api/client.js';
import { isNetworkError, keepPhotoOffline, queueOffline } from '../../shared/offline/bridge.js';
import { useSession } from '../../shared/api/session.js';
import { uploadVisitPhoto, useCampaignTask, useCorrectVisit, useRecordVisit, useVisit, type CampaignTask } from './api.js';
import { useShowApiError } from '../../shared/api-feedback.js';
import { ChoiceButtons, FollowUpPicker, TagPicker, type Choice, type FollowUpValue } from './visit-choices.js';
import { scheduleLabel, visitLabel } from '../../shared/i18n/visit-labels.js';
import { MAX_VISIT_PHOTOS, VisitPhotos } from './visit-photos.js';
import {
  STAFF_KINDS,
  allFineChecklist,
  clearVisitDraft,
  draftKeyOf,
  formFieldOf,
  knownFields,
  newVisitValues,
  sameFactors,
  todayInChina,
  trimmed,
  unansweredItems,
  useVisitDraft,
  visitInputOf,
  visitValuesOf,
  writeVisitDraft,
  type FactorAnswer,
  type Rating,
  type VisitFormValues,
  type VisitVariant,
  type YesNo,
} from './visit-values.js';
import { useT, type Translate } from './strings.js';

// ---------------------------------------------------------------- parts

const dateProps = {
  getValueProps: (value: string | undefined) => ({ value: value ? dayjs(value) : undefined }),
  normalize: (value: Dayjs | null) => (value ? value.format('YYYY-MM-DD') : undefined),
};

function Section({ title, children, testId, extra }: { title: ReactNode; children: ReactNode; testId?: string; extra?: ReactNode }) {
  return (
    <Card size="small" title={title} extra={extra} className="visit-section" data-testid={testId}>
      {children}
    </Card>
  );
}

function ratingChoices(t: Translate): Choice<Rating>[] {
  return [
    { value: 'fine', label: visitLabel(t, 'rating', 'fine'), tone: 'ok' },
    { value: 'concern', label: visitLabel(t, 'rating', 'concern'), tone: 'warn' },
    { value: 'serious', label: visitLabel(t, 'rating', 'serious'), tone: 'danger' },
  ];
}

function factorChoices(t: Translate): Choice<FactorAnswer>[] {
  return [
    { value: 'unchecked', label: t('visit.answer.unchecked'), tone: 'muted' },
    { value: 'no', label: t('visit.answer.no'), tone: 'ok' },
    { value: 'yes', label: t('visit.answer.yes'), tone: 'danger' },
  ];
}

function yesNoChoices(t: Translate): Choice<YesNo>[] {
  return [
    { value: 'yes', label: t('visit.answer.yes'), tone: 'ok' },
    { value: 'no', label: t('visit.answer.no'), tone: 'danger' },
  ];
}

/**
 * The checklist: every item starts unanswered, and saving needs an answer for
 * each (the error names the item). 全部正常 answers them all in one tap, a
 * deliberate act recorded on the visit; an answer changed by hand afterwards
 * takes the mark off again.
 */
function ChecklistSection({ form, items, onAllFine }: { form: FormInstance<VisitFormValues>; items: readonly ChecklistItem[]; onAllFine: () => void }) {
  const t = useT();
  const checklist = Form.useWatch('checklist', form) as VisitFormValues['checklist'] | undefined;
  const allFine = Form.useWatch<boolean | undefined>('checklistAllFine', form) === true;
  const choices = ratingChoices(t);
  const flagged = items.some((item) => {
    const rating = checklist?.[item]?.rating;
    return rating === 'concern' || rating === 'serious';
  });
  return (
    <Section
      title={t('visit.section.checklist')}
      testId="visit-checklist"
      extra={
        <Button size="small" icon={<CheckOutlined />} disabled={flagged} onClick={onAllFine} data-testid="visit-all-fine" title={flagged ? t('visit.allFineFlagged') : undefined}>
          {t('visit.allFine')}
        </Button>
      }
    >
      <Form.Item name="checklistAllFine" valuePropName="checked" hidden>
        <Checkbox />
      </Form.Item>
      <Typography.Paragraph type={allFine ? 'success' : 'secondary'} className="visit-help" data-testid="visit-checklist-help">
        {allFine ? t('visit.allFineDone') : t('visit.checklistHelp')}
      </Typography.Paragraph>
      {items.map((item) => {
        const label = visitLabel(t, 'check', item);
        const rating = checklist?.[item]?.rating;
        return (
          <div key={item} className={`visit-row-block${rating ? '' : ' visit-row-unanswered'}`} data-testid={`visit-check-${item}`}>
            <div className="visit-row">
              <span className="visit-row-label">{label}</span>
              <Form.Item name={['checklist', item, 'rating']} noStyle rules={[{ required: true, message: t('visit.checkRequired', { item: label }) }]}>
                <ChoiceButtons choices={choices} ariaLabel={label} />
              </Form.Item>
            </div>
            {/* The rating sits in a noStyle item (label and buttons on one line): its error is shown here. */}
            <Form.Item noStyle shouldUpdate>
              {() => {
                const errors = form.getFieldError(['checklist', item, 'rating']);
                return errors.length > 0 ? (
                  <div className="visit-row-error" role="alert" data-testid={`visit-check-error-${item}`}>
                    {errors[0]}
                  </div>
                ) : null;
              }}
            </Form.Item>
            {rating === undefined || rating === 'fine' ? null : (
              <Form.Item name={['checklist', item, 'note']} className="visit-row-note">
                <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={500} placeholder={t('visit.checkNotePlaceholder')} />
              </Form.Item>
            )}
          </div>
        );
      })}
    </Section>
  );
}

function FactorsSection() {
  const t = useT();
  const choices = factorChoices(t);
  return (
    <Section title={t('visit.section.factors')} testId="visit-factors">
      <Typography.Paragraph type="secondary" className="visit-help">
        {t('visit.factorsHelp')}
      </Typography.Paragraph>
      {VISIT_FACTORS.map((factor) => (
        <div key={factor} className="visit-row visit-row-block" data-testid={`visit-factor-${factor}`}>
          <span className="visit-row-label">{scheduleLabel(t, 'factor', factor)}</span>
          <Form.Item name={['factors', factor]} noStyle>
            <ChoiceButtons choices={choices} ariaLabel={scheduleLabel(t, 'factor', factor)} />
          </Form.Item>
        </div>
      ))}
    </Section>
  );
}

function CampaignSection({ form, task }: { form: FormInstance<VisitFormValues>; task: CampaignTask }) {
  const t = useT();
  const answers = Form.useWatch('campaignAnswers', form) as VisitFormValues['campaignAnswers'] | undefined;
  const choices = yesNoChoices(t);
  return (
    <Section title={t('visit.section.campaign')} testId="visit-campaign">
      {task.checklist.map(({ key, label }) => (
        <div key={key} className="visit-row-block" data-testid={`visit-campaign-${key}`}>
          <Form.Item name={['campaignAnswers', key, 'ok']} label={label} className="visit-campaign-item" rules={[{ required: true, message: t('visit.campaignAnswerRequired') }]}>
            <ChoiceButtons choices={choices} ariaLabel={label} />
          </Form.Item>
          {answers?.[key]?.ok === 'no' ? (
            <Form.Item name={['campaignAnswers', key, 'note']} className="visit-row-note">
              <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={500} placeholder={t('visit.campaignNotePlaceholder')} />
            </Form.Item>
          ) : null}
        </div>
      ))}
    </Section>
  );
}

// ---------------------------------------------------------------- the form

/** One message slot for saving: a success replaces the warning of a failed try. */
const SAVE_MESSAGE = 'visit-save';

export interface VisitFormProps {
  variant: VisitVariant;
  title: ReactNode;
  subtitle?: ReactNode;
  visitId: string;
  initial: VisitFormValues;
  restored: boolean;
  draftKey: string | null;
  /** Throws the draft away and starts again (a new visit id). */
  onDiscardDraft?: () => void;
  task: CampaignTask | null;
  /** A correction: the saved visit (its version, and whether a reason is needed). */
  record?: VisitRecord;
  /** Sends the visit; answers the saved record, or that it went to the outbox (no signal). */
  save: (input: Omit<VisitInput, 'id'> & { reason?: string | null }, callbacks: { onSuccess: (visit: RecordedVisit) => void; onQueued: () => void; onError: (error: unknown) => void }) => void;
  saving: boolean;
  /** Where the form goes back to (cancel, and after saving). */
  backTo: string;
  /** Sends one photo; the server drops its location unless `keepLocation`. Null: a form without photos. */
  upload: ((file: File, keepLocation: boolean) => Promise<FileRef>) | null;
  /** A correction refused because the visit changed meanwhile (stale version): loads the latest. */
  onConflict?: () => void;
}

export function VisitForm({ variant, title, subtitle, visitId, initial, restored, draftKey, onDiscardDraft, task, record, save, saving, backTo, upload, onConflict }: VisitFormProps) {
  const t = useT();
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const me = useSession();
  const showError = useShowApiError();
  const [form] = Form.useForm<VisitFormValues>();
  const [showRestored, setShowRestored] = useState(restored);
  const [keepLocation, setKeepLocation] = useState(false);
  const kindFixed = variant === 'campaign' || variant === 'school' || (variant === 'correction' && record?.kind === 'key_verification');
  // A saved visit given: this is a correction (staff's, or a teacher's own vacation visit).
  const correcting = record !== undefined;
  const reasonNeeded = correcting && record.correction === 'supervisor';
  // The items the kind asks, and any a corrected visit answered besides; the rest stay not asked.
  const asked = askedChecklistItems(initial.kind);
  const items = CHECKLIST_ITEMS.filter((item) => asked.includes(item) || initial.checklist[item]);
  const known = knownFields(task);

  const keepDraft = () => {
    if (draftKey) writeVisitDraft(draftKey, { id: visitId, savedAt: Date.now(), values: form.getFieldsValue(true) as VisitFormValues });
  };

  const onValuesChange = (changed: Partial<VisitFormValues>) => {
    // A phone call does not see the child; a visit in person usually does.
    if (changed.kind !== undefined && !kindFixed) {
      form.setFieldValue('seenInPerson', changed.kind !== 'phone');
    }
    // An answer given by hand after the 全部正常 tap: the checklist is no longer "all fine in one tap".
    if (changed.checklist && Object.values(changed.checklist).some((answer) => answer !== undefined && 'rating' in answer)) {
      form.setFieldValue('checklistAllFine', false);
    }
    keepDraft();
  };

  /** 全部正常: every item shown answered "fine" in one deliberate tap, recorded as such on the visit. */
  const markAllFine = () => {
    form.setFieldsValue({ checklist: allFineChecklist(items), checklistAllFine: true });
    form.setFields(items.map((item) => ({ name: ['checklist', item, 'rating'], errors: [] })));
    keepDraft();
  };

  const showServerError = (error: unknown) => {
    if (isApiError(error) && error.code === 'VALIDATION' && error.field) {
      const name = formFieldOf(error.field, known);
      if (name) {
        const untyped: FormInstance = form;
        untyped.setFields([{ name, errors: [error.message] }]);
        untyped.scrollToField(name, { block: 'center', behavior: 'smooth' });
        return;
      }
    }
    if (isApiError(error) && error.code === 'CONFLICT' && error.field === 'version' && onConflict) {
      modal.warning({ title: t('visit.conflictTitle'), content: <span data-testid="visit-conflict">{t('visit.conflictBody')}</span>, okText: t('visit.conflictReload'), onOk: onConflict });
      return;
    }
    if (isApiError(error) && error.code === 'NETWORK' && draftKey) {
      void message.warning({ key: SAVE_MESSAGE, content: t('visit.offlineKept'), duration: 8 });
      return;
    }
    showError(error);
  };

  const done = (visit: RecordedVisit, factorsChanged: boolean) => {
    if (draftKey) clearVisitDraft(draftKey);
    // Replaces a "no connection" warning still on screen from the try before.
    void message.success({ key: SAVE_MESSAGE, content: t(correcting ? 'visit.correctedDone' : 'visit.saved') });
    // A correction that leaves the factors as they were suggests nothing new.
    const suggestions = factorsChanged ? visit.suggestions : [];
    // Signs of abuse suggest a mandatory report: offered straight from here, linked to this visit.
    const report = suggestions.includes('mandatory_report') && me.permissions.includes('report.create');
    const suggestionList = (
      <ul className="visit-suggestions" data-testid="visit-suggestions">
        {suggestions.map((code) => (
          <li key={code}>{visitLabel(t, 'suggest', code)}</li>
        ))}
      </ul>
    );
    if (report) {
      modal.confirm({
        title: t('visit.suggestTitle'),
        content: suggestionList,
        okText: t('report.raise'),
        okButtonProps: { danger: true, ...{ 'data-testid': 'visit-raise-report' } },
        cancelText: t('visit.suggestOk'),
        onOk: () => void navigate(`/children/${visit.childId}/reports/new?visitId=${visit.id}`, { replace: true }),
        onCancel: () => void navigate(backTo, { replace: true }),
      });
      return;
    }
    // A serious psychological concern names the township's social-work station: offered as a referral to it, linked to this visit.
    const referralTo = suggestions.includes('referral_social_work') && me.permissions.includes('referral.create') ? visit.referralTo : null;
    if (referralTo) {
      modal.confirm({
        title: t('visit.suggestTitle'),
        content: suggestionList,
        okText: t('referral.fromVisit', { name: referralTo.name }),
        okButtonProps: { ...{ 'data-testid': 'visit-raise-referral' } },
        cancelText: t('visit.suggestOk'),
        onOk: () => void navigate(`/children/${visit.childId}/referrals/new?visitId=${visit.id}&organisationId=${encodeURIComponent(referralTo.organisationId)}`, { replace: true }),
        onCancel: () => void navigate(backTo, { replace: true }),
      });
      return;
    }
    if (suggestions.length > 0) {
      modal.info({
        title: t('visit.suggestTitle'),
        content: suggestionList,
        okText: t('visit.suggestOk'),
        onOk: () => void navigate(backTo, { replace: true }),
      });
      return;
    }
    void navigate(backTo, { replace: true });
  };

  /** No signal: the visit waits in the outbox (it sends itself when the signal returns); the draft has done its work. */
  const queued = () => {
    if (draftKey) clearVisitDraft(draftKey);
    void message.success({ key: SAVE_MESSAGE, content: <span data-testid="visit-queued">{t('visit.queued')}</span>, duration: 6 });
    void navigate(backTo, { replace: true });
  };

  const submit = () => {
    // Every value, not only the fields on screen: the teacher's form does not show every checklist item.
    const values = form.getFieldsValue(true) as VisitFormValues;
    const input = visitInputOf(values, variant, task);
    const factorsChanged = !record || !sameFactors(record.factors, input.factors);
    save({ ...input, reason: reasonNeeded ? trimmed(values.reason) : undefined }, { onSuccess: (visit) => done(visit, factorsChanged), onQueued: queued, onError: showServerError });
  };

  /** Cancel throws the entries away (the back link keeps them as a draft): asked first when there is something to lose. */
  const cancel = () => {
    const leave = () => {
      if (draftKey) clearVisitDraft(draftKey);
      void navigate(backTo);
    };
    if (!form.isFieldsTouched() && !showRestored) {
      leave();
      return;
    }
    modal.confirm({ title: t('visit.discardTitle'), okText: t('visit.discardOk'), okButtonProps: { danger: true }, cancelText: t('visit.discardKeep'), onOk: leave });
  };

  return (
    <div className="visit-form-page">
      <Link to={backTo} className="child-back">
        <ArrowLeftOutlined /> {t('visit.back')}
      </Link>
      <div className="visit-form-title">
        <Typography.Title level={4} className="page-header-title" data-testid="visit-form-title">
          {title}
        </Typography.Title>
        {subtitle ? <Typography.Text type="secondary">{subtitle}</Typography.Text> : null}
      </div>
      {showRestored ? (
        <Alert
          type="info"
          showIcon
          className="visit-alert"
          data-testid="visit-draft-restored"
          message={t('visit.draftRestored')}
          action={
            onDiscardDraft ? (
              <Button size="small" type="link" onClick={onDiscardDraft} data-testid="visit-draft-discard">
                {t('visit.draftDiscard')}
              </Button>
            ) : undefined
          }
          closable
          onClose={() => setShowRestored(false)}
        />
      ) : null}
      {reasonNeeded ? <Alert type="warning" showIcon className="visit-alert" message={t('visit.correctionLate')} /> : null}
      <Form<VisitFormValues>
        form={form}
        layout="vertical"
        initialValues={initial}
        onValuesChange={onValuesChange}
        onFinish={submit}
        onFinishFailed={({ errorFields }) => {
          // Unanswered checklist items are named in the message, not only beside each item.
          const values = form.getFieldsValue(true) as VisitFormValues;
          const unanswered = unansweredItems(values, items);
          void message.error(
            unanswered.length > 0 ? { content: <span data-testid="visit-unanswered">{t('visit.checklistUnanswered', { count: unanswered.length, items: unanswered.map((item) => visitLabel(t, 'check', item)).join('、') })}</span>, duration: 6 } : t('visit.fixErrors'),
          );
          const first = errorFields[0];
          if (first) form.scrollToField(first.name, { block: 'center', behavior: 'smooth' });
        }}
        requiredMark={false}
        className="visit-form"
        data-testid="visit-form"
      >
        <Section title={t('visit.section.basic')} testId="visit-basic">
          <Form.Item
            name="visitDate"
            label={t('visit.field.visitDate')}
            rules={[{ required: true, message: t('visit.dateRequired') }]}
            {...dateProps}
          >
            <DatePicker className="full-width" inputReadOnly allowClear={false} disabledDate={(day) => day.format('YYYY-MM-DD') > todayInChina()} />
          </Form.Item>
          <Form.Item name="kind" label={t('visit.field.kind')}>
            <ChoiceButtons
              layout="grid"
              disabled={kindFixed}
              testId="visit-kind"
              choices={(kindFixed ? [initial.kind] : STAFF_KINDS).map((kind) => ({ value: kind, label: visitLabel(t, 'kind', kind) }))}
            />
          </Form.Item>
          <div className="visit-row visit-row-block">
            <label className="visit-row-label" htmlFor="seenInPerson">
              {t('visit.field.seenInPerson')}
            </label>
            <Form.Item name="seenInPerson" valuePropName="checked" noStyle>
              <Switch checkedChildren={t('visit.answer.yes')} unCheckedChildren={t('visit.answer.no')} data-testid="visit-seen" />
            </Form.Item>
          </div>
          {variant === 'school' ? (
            <div className="visit-row visit-row-block">
              <label className="visit-row-label" htmlFor="dropoutRisk">
                {t('visit.field.dropoutRisk')}
              </label>
              <Form.Item name="dropoutRisk" valuePropName="checked" noStyle>
                <Switch checkedChildren={t('visit.answer.yes')} unCheckedChildren={t('visit.answer.no')} data-testid="visit-dropout" />
              </Form.Item>
            </div>
          ) : null}
          <Form.Item name="present" label={t('visit.field.present')} className="visit-present">
            <TagPicker options={PRESENT_PEOPLE} label={(person) => visitLabel(t, 'present', person)} testId="visit-present" />
          </Form.Item>
        </Section>

        {task ? <CampaignSection form={form} task={task} /> : null}

        <ChecklistSection form={form} items={items} onAllFine={markAllFine} />

        {variant === 'school' ? null : <FactorsSection />}

        <Section title={t(upload ? 'visit.section.notes' : 'visit.section.notesOnly')} testId="visit-notes">
          <Form.Item name="notes" label={t('visit.field.notes')}>
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} maxLength={2000} showCount placeholder={t('visit.notesPlaceholder')} />
          </Form.Item>
          {upload ? (
            <>
              <Form.Item name="photos" label={t('visit.field.photos', { max: MAX_VISIT_PHOTOS })} className="visit-photos-item">
                <VisitPhotos upload={(file) => upload(file, keepLocation)} />
              </Form.Item>
              <Checkbox checked={keepLocation} onChange={(event) => setKeepLocation(event.target.checked)} data-testid="visit-keep-location">
                {t('visit.field.keepLocation')}
              </Checkbox>
              <Typography.Text type="secondary" className="visit-help-line">
                {t(keepLocation ? 'visit.keepLocationOn' : 'visit.keepLocationOff')}
              </Typography.Text>
            </>
          ) : null}
        </Section>

        {variant === 'school' ? null : (
          <Section title={t('visit.section.followUps')} testId="visit-follow-up-section">
            <Form.Item
              name="followUps"
              rules={[
                {
                  validator: (_, value: FollowUpValue[] | undefined) =>
                    (value ?? []).some((item) => item.kind === 'other' && !item.note?.trim()) ? Promise.reject(new Error(t('visit.followUpOtherRequired'))) : Promise.resolve(),
                },
              ]}
            >
              <FollowUpPicker />
            </Form.Item>
          </Section>
        )}

        {reasonNeeded ? (
          <Section title={t('visit.field.reason')} testId="visit-reason">
            <Form.Item name="reason" rules={[{ required: true, whitespace: true, min: 2, message: t('visit.reasonRequired') }]}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={500} showCount />
            </Form.Item>
          </Section>
        ) : null}

        <div className="visit-form-footer">
          <Button size="large" onClick={cancel}>
            {t('common.cancel')}
          </Button>
          <Button size="large" type="primary" htmlType="submit" loading={saving} className="visit-submit" data-testid="visit-submit">
            {t(correcting ? 'visit.submitCorrection' : 'visit.submit')}
          </Button>
        </div>
      </Form>
    </div>
  );
}

// ---------------------------------------------------------------- pages

function Loading() {
  return (
    <Card>
      <Skeleton active paragraph={{ rows: 8 }} />
    </Card>
  );
}

/** /children/:id/visits/new, and with `?task=` completing a key verification task (重点核查). */
export function VisitNewPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const taskId = params.get('task');
  const t = useT();
  const child = useChild(id);
  const task = useCampaignTask(taskId);
  if (child.isPending || (taskId !== null && task.isPending)) return <Loading />;
  if (child.isError) return <Result status={isApiError(child.error) && child.error.status === 404 ? '404' : 'warning'} title={child.error.message} />;
  if (task.isError || (task.data && task.data.childId !== id)) return <Result status="warning" title={t('visit.taskNotFound')} subTitle={task.error?.message} />;
  const campaign = task.data ?? null;
  if (campaign && (campaign.status === 'done' || campaign.campaignStatus === 'closed')) {
    const done = campaign.status === 'done';
    return (
      <Result
        status={done ? 'success' : 'info'}
        title={t(done ? 'visit.taskDone' : 'visit.campaignClosed', { name: campaign.campaignName })}
        extra={
          <Link to={done && campaign.visitId ? `/children/${id}?tab=visits&visit=${campaign.visitId}` : `/children/${id}`}>
            <Button>{t(done && campaign.visitId ? 'visit.taskOpenVisit' : 'visit.back')}</Button>
          </Link>
        }
      />
    );
  }
  return <NewVisit key={`${id}.${taskId ?? ''}`} child={child.data} task={campaign} />;
}

function NewVisit({ child, task }: { child: ChildDetail; task: CampaignTask | null }) {
  const me = useSession();
  const childId = child.id;
  const draftKey = draftKeyOf(me.user.id, task ? `task.${task.id}` : `child.${childId}`);
  // Throwing a draft away mounts a fresh form: new values and a new visit id.
  const [generation, setGeneration] = useState(0);
  return (
    <NewVisitForm
      key={generation}
      child={child}
      task={task}
      draftKey={draftKey}
      onDiscardDraft={() => {
        clearVisitDraft(draftKey);
        setGeneration((n) => n + 1);
      }}
    />
  );
}

function NewVisitForm({ child, task, draftKey, onDiscardDraft }: { child: ChildDetail; task: CampaignTask | null; draftKey: string; onDiscardDraft: () => void }) {
  const t = useT();
  const childId = child.id;
  const record = useRecordVisit(childId);
  const kind: VisitKind = task ? 'key_verification' : 'home';
  const draft = useVisitDraft(draftKey, () => newVisitValues(kind));
  if (!draft) return <Loading />;
  const { id, initial, restored } = draft;
  return (
    <VisitForm
      variant={task ? 'campaign' : 'visit'}
      title={t(task ? 'visit.titleCampaign' : 'visit.titleNew', { name: child.name })}
      subtitle={task ? task.campaignName : undefined}
      visitId={id}
      initial={{ ...initial, kind: task ? 'key_verification' : initial.kind }}
      restored={restored}
      draftKey={draftKey}
      onDiscardDraft={onDiscardDraft}
      task={task}
      save={(input, { onSuccess, onQueued, onError }) => {
        const body: VisitInput = { id, ...input };
        // Without a signal the visit goes to the outbox; so does one with a photo kept on the phone, which is sent first.
        const toOutbox = (tried: boolean) =>
          void queueOffline('visit', childId, id, body, { childName: child.name, villageName: child.region.name, child, tried }).then((queued) => (queued ? onQueued() : onError(new ApiError(0, 'NETWORK', t('visit.offlineKept')))));
        if (body.photoIds.some((photoId) => photoId.startsWith('local:'))) {
          toOutbox(false);
          return;
        }
        // With the browser online the request may have reached the server and only its answer was lost.
        record.mutate(body, { onSuccess, onError: (error) => (isNetworkError(error) ? toOutbox(navigator.onLine) : onError(error)) });
      }}
      saving={record.isPending}
      backTo={`/children/${childId}`}
      upload={(file, keepLocation) =>
        uploadVisitPhoto(childId, file, keepLocation).catch(async (error: unknown) => {
          const kept = isNetworkError(error) ? await keepPhotoOffline(file) : null;
          if (kept) return kept;
          throw error;
        })
      }
    />
  );
}

/** /visits/:id/edit: a correction, by its author within 24 hours, later by a supervisor with a reason. */
export function VisitEditPage() {
  const { id = '' } = useParams();
  const t = useT();
  const visit = useVisit(id);
  const task = useCampaignTask(visit.data?.campaignTaskId ?? null);
  if (visit.isPending || (visit.data?.campaignTaskId && task.isPending)) return <Loading />;
  if (visit.isError) return <Result status={isApiError(visit.error) && visit.error.status === 404 ? '404' : 'warning'} title={t('visit.notFound')} subTitle={visit.error.message} />;
  const record = visit.data;
  if (record.correction === 'none') {
    return (
      <Result
        status="info"
        title={t('visit.correctionClosed')}
        extra={
          <Link to={`/children/${record.childId}?tab=visits`}>
            <Button>{t('visit.back')}</Button>
          </Link>
        }
      />
    );
  }
  return <CorrectVisit key={`${record.id}.${record.version}`} record={record} task={task.data ?? null} />;
}

function CorrectVisit({ record, task }: { record: VisitRecord; task: CampaignTask | null }) {
  const t = useT();
  const correct = useCorrectVisit(record.id);
  const initial = visitValuesOf(record);
  return (
    <VisitForm
      variant="correction"
      title={t('visit.titleCorrection', { name: record.childName })}
      subtitle={`${record.visitDate} · ${visitLabel(t, 'kind', record.kind)} · ${record.visitor.name}`}
      visitId={record.id}
      initial={initial}
      restored={false}
      draftKey={null}
      task={task}
      record={record}
      save={(input, callbacks) => {
        const { campaignTaskId: _task, ...rest } = input;
        const body: VisitCorrection = { ...rest, gps: record.gps ?? null, version: record.version, reason: input.reason ?? null };
        correct.mutate(body, callbacks);
      }}
      saving={correct.isPending}
      backTo={`/children/${record.childId}?tab=visits`}
      upload={(file, keepLocation) => uploadVisitPhoto(record.childId, file, keepLocation)}
    />
  );
}
