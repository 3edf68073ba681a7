/**
 * A key-verification visit (重点核查) completes its campaign task, inside the
 * visit's transaction. Campaigns themselves (opening, tasks, progress,
 * closing) live in their own feature; this is the one write a visit makes to them.
 */
import type { VisitInput } from '../../../domain/visits/schema.js';
import { invalid } from '../../core/errors.js';
import type { Db, Dialect } from '../../db/database.js';
import { findCampaignTask, lockCampaignStatus, markTaskDone, setTaskProblems } from './visits.repository.js';

type Answers = NonNullable<VisitInput['campaignAnswers']>;

/** Problems found: checklist items answered "not ok". */
export const problemsOf = (answers: Answers | null | undefined): number => Object.values(answers ?? {}).filter((a) => !a.ok).length;

/** Every item of the campaign's checklist answered, and nothing else. */
function checkAnswers(checklistJson: string, answers: Answers | null | undefined): void {
  const keys = (JSON.parse(checklistJson) as { key: string }[]).map((i) => i.key);
  const given = Object.keys(answers ?? {});
  if (given.some((k) => !keys.includes(k))) throw invalid('campaignAnswers', 'invalid_value');
  if (keys.some((k) => !given.includes(k))) throw invalid('campaignAnswers', 'required');
}

/**
 * Marks the task done with this visit. The task must be this child's, still
 * open, in an open campaign; otherwise a field error on campaignTaskId
 * (campaign_closed, task_closed) and the caller's transaction writes
 * nothing, not even the visit.
 *
 * The campaign's status is re-read under a share lock (PostgreSQL), so a
 * completion never lands after a concurrent close has counted its summary:
 * either the close waits for this transaction and counts the task, or this
 * waits for the close and is refused.
 */
export async function completeCampaignTask(
  trx: Db,
  dialect: Dialect,
  task: { taskId: string; childId: string; visitId: string; answers: Answers | null | undefined; at: string },
): Promise<{ campaignId: string; problems: number }> {
  const row = await findCampaignTask(trx, task.taskId);
  if (!row || row.child_id !== task.childId) throw invalid('campaignTaskId', 'not_found');
  if ((await lockCampaignStatus(trx, dialect, row.campaign_id)) !== 'open') throw invalid('campaignTaskId', 'campaign_closed');
  if (row.status !== 'open') throw invalid('campaignTaskId', 'task_closed');
  checkAnswers(row.checklist, task.answers);
  const problems = problemsOf(task.answers);
  if (!(await markTaskDone(trx, row.id, task.visitId, problems, task.at))) throw invalid('campaignTaskId', 'task_closed');
  return { campaignId: row.campaign_id, problems };
}

/** A corrected key-verification visit recounts its task's problems. */
export async function recountTaskProblems(trx: Db, taskId: string, answers: Answers | null | undefined): Promise<void> {
  const row = await findCampaignTask(trx, taskId);
  if (!row) return;
  checkAnswers(row.checklist, answers);
  await setTaskProblems(trx, taskId, problemsOf(answers));
}
