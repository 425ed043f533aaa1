/**
 * What a cancelled run says, from where its progress stands when the signal comes. Where the
 * change may be half sent or half undone, what the domain carries is unknown, and the progress is
 * told so.
 */
import { certificateRegion } from '../inputs/identifiers.js'
import { certificateChange } from '../rules/plan.js'
import { rollbackStep } from './messages.js'
import type { Progress, RunResult } from './progress.js'

export function cancelledResult(progress: Progress, signal: string, now: number): RunResult {
  const { settings } = progress
  const changes = progress.plan?.action === 'update' ? progress.plan.changes : []
  const seen = progress.lastSeen ?? 'not described yet'
  const acmRegion = certificateRegion(settings.pool.region)
  if (progress.stage === 'sending' || progress.stage === 'rolling back')
    progress.leaves = { certificateArn: undefined, days: undefined }
  switch (progress.stage) {
    case 'before the change':
      return {
        result: 'Cancelled',
        failure: `Cancelled (${signal}) before any change was sent: nothing was changed.${imported(progress)}`
      }
    case 'sending':
      return {
        result: 'Cancelled while sending the change',
        failure: `Cancelled (${signal}) while UpdateUserPoolDomain was being sent: Cognito may have applied the change. Look at the domain before running again. ${rollbackStep(settings, changes)}`
      }
    case 'waiting':
      if (progress.resumed)
        return {
          result: 'Cancelled while waiting',
          failure: `Cancelled (${signal}) while waiting for the rollout: the domain was ${seen}. This run sent no change.`
        }
      return {
        result: 'Cancelled while waiting',
        failure: `Cancelled (${signal}) while waiting for the rollout, ${Math.round((now - (progress.waitingSince ?? now)) / 1000)} s after the change was sent: the domain was ${seen}. The change was sent; Cognito goes on distributing it without this job. ${rollbackStep(settings, changes)}`
      }
    case 'retiring':
      return {
        result: 'Cancelled while retiring the replaced certificate',
        failure: progress.retireSent
          ? `Cancelled (${signal}) after the edge was seen to serve the new certificate, while retire-replaced was deleting ${retiring(progress)} from ACM: the change is done and stays; whether the delete went through is unknown. Look in ACM (${acmRegion}), and delete it yourself once nothing uses it.`
          : `Cancelled (${signal}) after the edge was seen to serve the new certificate, while retire-replaced was looking at ${retiring(progress)} before deleting it: the change is done and stays, and ${retiring(progress)} was not deleted: it stays in ACM (${acmRegion}). Delete it yourself once nothing uses it.`
      }
    case 'rolling back':
      return {
        result: 'Cancelled while rolling back',
        failure: `Cancelled (${signal}) while rolling back after: ${progress.rollingBackAfter ?? 'a failed rollout'}. The rollback may not have been sent or completed. ${rollbackStep(settings, changes)}`
      }
  }
}

/** The certificate retire-replaced was deleting. */
function retiring(progress: Progress): string {
  const plan = progress.plan
  const from = plan?.action === 'update' ? certificateChange(plan.changes)?.from : undefined
  return from ?? 'the replaced certificate'
}

/** What became of certificate-pem's import, when a run that imports is cancelled before its change. */
function imported(progress: Progress): string {
  if (progress.settings.pem === undefined) return ''
  return progress.imported === undefined
    ? ' An import of certificate-pem may have reached ACM: a rerun finds it by its tags and imports nothing twice.'
    : ` certificate-pem was imported into ACM as ${progress.imported}: a rerun reuses it.`
}
