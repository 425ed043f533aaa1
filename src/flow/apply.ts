import type { Cancellation } from '../report/cancellation.js'
import type { CertificateReader, Checks, InUse } from './certificates.js'
import { daysLeft, expiresBefore } from '../rules/certificate.js'
import type { Cognito } from '../aws/cognito.js'
import { rolloutText, sessionEndedMessage, waitForChange } from './follow.js'
import type { Settings } from '../inputs/settings.js'
import { afterFailedUpdate } from './send.js'
import {
  carriedText,
  certificateChange,
  changedSettings,
  changesText,
  type Plan
} from '../rules/plan.js'
import {
  annotateWarning,
  checksText,
  inUseText,
  reportInUse,
  reportLeaves,
  reportRotated,
  reportUpdating,
  rollbackHint,
  rollbackStep,
  withInUse,
  type Outcome
} from '../report/report.js'
import { rollBack } from './rollback.js'
import { failureMessage, isExpiredSession } from '../aws/errors.js'
import { isCancelled } from './time.js'

type Update = Extract<Plan, { action: 'update' }>
type Keep = Extract<Plan, { action: 'keep' }>

/**
 * Sends the change, and with wait-for-rollout follows it to ACTIVE and to the edge. An update
 * whose answer was lost is looked up on the domain before anything is said about it. Once the
 * change is on the domain, every failure carries the rollback step, and so does a cancelled job;
 * with rollback-on-failure a failed rollout is undone here and now, but only while the domain
 * still carries what this run set.
 */
export async function applyChange(
  settings: Settings,
  plan: Update,
  checks: Checks,
  cognito: Cognito,
  cancellation: Cancellation,
  inUseNow: Promise<InUse>,
  certificates: CertificateReader
): Promise<Outcome> {
  const { changes } = plan
  const newCertificate = certificateChange(changes)
  const replacing = newCertificate !== undefined
  inUseNow.catch(() => undefined)
  const base = {
    settings,
    current: plan.current,
    checks: checksText(checks),
    change: changesText(changes)
  }
  const changed = changedSettings(changes)
  const Changed = changed.charAt(0).toUpperCase() + changed.slice(1)
  cancellation.describe((signal) => ({
    ...base,
    result: 'Cancelled while sending the change',
    failure: `Cancelled (${signal}) while UpdateUserPoolDomain was being sent: Cognito may have applied the change. Look at the domain before running again. ${rollbackStep(settings, changes)}`
  }))
  reportUpdating(plan)
  const sentAt = Date.now()
  let cloudFrontDomain: string | undefined
  try {
    cloudFrontDomain = (await cognito.updateDomain(plan.request, cancellation.signal))
      .cloudFrontDomain
  } catch (error) {
    if (isCancelled(error)) throw error
    const lost = await afterFailedUpdate(settings, plan, error, cognito, cancellation.signal)
    if (!lost.applied) {
      const inUse = await inUseNow
      reportInUse(inUse, false)
      reportLeaves(
        lost.certificateArn,
        lost.certificateArn === plan.current.certificateArn ? daysOf(inUse) : undefined
      )
      return withInUse({ ...base, result: 'Failed', failure: lost.failure }, inUse, false)
    }
    cloudFrontDomain = lost.cloudFrontDomain
  }
  reportRotated(changes, cloudFrontDomain)
  // Read while the update was on its way: the certificate this change replaces.
  const inUse = await inUseNow
  reportInUse(inUse, replacing)
  const newDetail = checks.state === 'judged' ? checks.certificate : undefined
  const earlier =
    replacing && newDetail !== undefined && inUse.state === 'judged'
      ? expiresBefore(newDetail, inUse.certificate)
      : undefined
  if (earlier !== undefined) annotateWarning(earlier.message, earlier.title)
  reportLeaves(
    newCertificate?.to ?? plan.current.certificateArn,
    newDetail !== undefined
      ? daysLeft(newDetail, new Date())
      : replacing
        ? undefined
        : daysOf(inUse)
  )
  const outcome = await afterSent(settings, plan, cognito, cancellation, certificates, {
    base: {
      ...base,
      inUse: inUseText(inUse, plan.current),
      checks: checksText(checks, earlier === undefined ? [] : [earlier])
    },
    changed: Changed,
    cloudFrontDomain,
    sentAt,
    inUse
  })
  return withInUse(outcome, inUse, replacing)
}

/** Whole days left on the certificate in use, when it was read. */
function daysOf(inUse: InUse): number | undefined {
  return inUse.state === 'judged' ? inUse.days : undefined
}

/** After the change is on the domain: the wait, and the rollback when it fails. */
async function afterSent(
  settings: Settings,
  plan: Update,
  cognito: Cognito,
  cancellation: Cancellation,
  certificates: CertificateReader,
  context: {
    base: Omit<Outcome, 'result'>
    changed: string
    cloudFrontDomain: string | undefined
    sentAt: number
    inUse: InUse
  }
): Promise<Outcome> {
  const { changes } = plan
  const { base, changed: Changed, cloudFrontDomain, sentAt } = context
  if (!settings.rollout.wait)
    return {
      ...base,
      result: `${Changed} changed; distribution takes up to an hour`,
      cloudFrontDomain,
      detail: rollbackHint(changes)
    }

  const followed = await waitForChange(settings, plan.target, cloudFrontDomain, certificates, {
    sentAt,
    since: 'the change was sent',
    cancellation,
    onCancel: (signal, seen) => ({
      ...base,
      cloudFrontDomain,
      result: 'Cancelled while waiting',
      failure: `Cancelled (${signal}) while waiting for the rollout, ${Math.round((Date.now() - sentAt) / 1000)} s after the change was sent: the domain was ${seen}. The change was sent; Cognito goes on distributing it without this job. ${rollbackStep(settings, changes)}`
    })
  })
  const summary = { ...base, cloudFrontDomain }
  if ('ended' in followed) {
    const ended = followed.ended
    return {
      ...summary,
      result: 'Failed',
      failure: isExpiredSession(ended)
        ? sessionEndedMessage(settings, plan.target, ended, 'after the change was sent')
        : `${failureMessage(ended, settings)} ${rollbackStep(settings, changes)}`
    }
  }
  const { rollout } = followed
  const withRollout = { ...summary, rollout: rolloutText(rollout) }
  if (rollout.ok)
    return {
      ...withRollout,
      result: `${Changed} changed and ${rollout.served === undefined ? 'ACTIVE' : 'served at the edge'} after ${rollout.seconds} s`,
      detail: rollbackHint(changes)
    }
  if (!settings.rollout.rollbackOnFailure)
    return {
      ...withRollout,
      result: 'Failed',
      failure: `${rollout.message}. ${rollbackStep(settings, changes)}`
    }
  if (rollout.why === 'unreachable')
    return {
      ...withRollout,
      result: 'Failed; not rolled back',
      failure: `${rollout.message}. Not rolled back: Cognito has the change ACTIVE, and an edge this runner could not reach proves nothing about what browsers get. Check what the edge serves from elsewhere (or give tls-endpoint; verify-tls: false if the runner has no route to CloudFront). ${rollbackStep(settings, changes)}`
    }
  cancellation.describe((signal) => ({
    ...withRollout,
    result: 'Cancelled while rolling back',
    failure: `Cancelled (${signal}) while rolling back after: ${rollout.message}. The rollback may not have been sent or completed. ${rollbackStep(settings, changes)}`
  }))
  const rolledBack = await rollBack(settings, plan, cognito, cancellation.signal)
  if (rolledBack.done) reportLeaves(plan.current.certificateArn, daysOf(context.inUse))
  return {
    ...withRollout,
    result: rolledBack.done ? 'Failed; rolled back' : 'Failed; not rolled back',
    failure: `${rollout.message}. ${rolledBack.message}`
  }
}

/**
 * A run that sent nothing (the domain already carries what was asked for) with wait-for-rollout:
 * the wait resumes on what the domain carries, as it would have after the change. Nothing is sent.
 */
export async function resumeWait(
  settings: Settings,
  plan: Keep,
  cancellation: Cancellation,
  certificates: CertificateReader
): Promise<Pick<Outcome, 'rollout' | 'failure'> & { ok: boolean; text: string }> {
  const { current } = plan
  const followed = await waitForChange(
    settings,
    plan.target,
    current.cloudFrontDomain,
    certificates,
    {
      sentAt: Date.now(),
      since: 'this run began to wait',
      cancellation,
      onCancel: (signal, seen) => ({
        settings,
        current,
        result: 'Cancelled while waiting',
        failure: `Cancelled (${signal}) while waiting for the rollout: the domain was ${seen}. This run sent no change.`
      })
    }
  )
  if ('ended' in followed) {
    const ended = followed.ended
    return {
      ok: false,
      text: 'Failed',
      failure: isExpiredSession(ended)
        ? sessionEndedMessage(settings, plan.target, ended, 'while this run waited')
        : `${failureMessage(ended, settings)} This run sent no change.`
    }
  }
  const { rollout } = followed
  if (rollout.ok)
    return {
      ok: true,
      text: `already carries it; ${rollout.served === undefined ? 'ACTIVE' : 'served at the edge'}`,
      rollout: rolloutText(rollout)
    }
  const noRollback = settings.rollout.rollbackOnFailure
    ? ' rollback-on-failure has nothing to roll back to: this run found the change already on the domain and sent nothing, so it does not know what came before (the run that sent the change gave it as previous-certificate-arn).'
    : ''
  return {
    ok: false,
    text: 'Failed',
    rollout: rolloutText(rollout),
    failure: `${rollout.message}. This run sent no change: the domain already carried ${carriedText(current, plan.target.to)}.${noRollback}`
  }
}
