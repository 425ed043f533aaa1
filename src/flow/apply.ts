/**
 * Sending a checked change, and what follows: the wait to ACTIVE and to the edge, and the rollback
 * when it fails. An update whose outcome is uncertain is looked up on the domain before anything is
 * said of it. Once the change is on the domain, every failure carries the rollback step.
 */
import { failureMessage } from '../aws/explain.js'
import { expiresBefore } from '../rules/certificate.js'
import {
  carriedText,
  certificateChange,
  changedSettings,
  changesText,
  planRotation,
  type Plan
} from '../rules/plan.js'
import { isExpiredSession } from '../aws/errors.js'
import { checkedDays, inUseDays, noteInUse, withInUse } from './certificates.js'
import {
  retiredHint,
  rollbackHint,
  rollbackStep,
  sessionEndedMessage,
  updateText
} from './messages.js'
import type { InUse, RunResult } from './progress.js'
import type { Run } from './run.js'
import { retireReplaced } from './retire.js'
import { failureText, sendUpdate, type Sent } from './send.js'
import { waitForChange } from './wait.js'

type Update = Extract<Plan, { action: 'update' }>
type Keep = Extract<Plan, { action: 'keep' }>

/** How a sent change ended: a result, or a failed rollout that rollback-on-failure is to undo. */
export type Applied = RunResult | { rollBackAfter: string }

/**
 * Sends the change (its first request made from the look the run has just made), then with
 * wait-for-rollout follows it, and with rollback-on-failure undoes a failed rollout.
 * `inUseReading` is the certificate the change replaces, read while the update is on its way.
 */
export async function applyChange(
  run: Run,
  plan: Update,
  inUseReading: Promise<InUse>
): Promise<Applied> {
  const { ports, settings, progress, cancel } = run
  const { clock, log } = ports
  const { changes } = plan
  const replacing = certificateChange(changes) !== undefined
  inUseReading.catch(() => undefined)
  progress.stage = 'sending'
  log(`Sending UpdateUserPoolDomain: ${updateText(plan)}`)
  const sentAt = clock.now()
  // wait-timeout-minutes counts from the moment the change is sent.
  const waiting = settings.rollout.wait
    ? clock.deadline(cancel, settings.rollout.timeoutMs, 'wait-timeout-minutes')
    : undefined
  const sent = await sendUpdate(
    ports,
    settings,
    {
      label: 'UpdateUserPoolDomain',
      target: plan.target,
      first: plan.request,
      again: (look) => {
        // The domain as it is now; the request is made again from it, and sent only when the
        // change it makes is still the one this run planned.
        const again = planRotation(
          { ...settings, certificateArn: plan.target.to.certificateArn },
          look.description
        )
        if (again.action === 'refuse') return { stop: `${again.reason}.` }
        if (again.action === 'keep')
          return { stop: "The domain already carries this run's change." }
        return again.request
      },
      maxAttempts: settings.limits.maxAttempts
    },
    cancel
  )
  const inUse = await inUseReading
  if (sent.state !== 'applied') return notApplied(run, plan, sent, inUse)

  if (sent.lost !== undefined && sent.lost.look.state !== 'unknown')
    progress.warn(
      `UpdateUserPoolDomain reported a failure, but the domain now carries this run's change: ${sent.lost.look.text}. An attempt reached Cognito and its answer was lost (or another change set the same), and the failure was that of a later attempt: ${failureMessage(sent.lost.error, settings, sent.lost.tried)}`,
      'Update applied; its answer was lost'
    )
  const cloudFrontDomain = sent.cloudFrontDomain ?? plan.current.cloudFrontDomain
  progress.change = { state: 'applied', cloudFrontDomain }
  log(
    `Cognito accepted the change (${changesText(changes)}). CloudFront domain: ${cloudFrontDomain ?? 'not reported'}. Distribution to the edge takes up to an hour.`
  )
  log(rollbackHint(changes))
  noteInUse(progress, log, inUse, replacing)
  const now = new Date(clock.now())
  const newDetail = progress.checks?.state === 'judged' ? progress.checks.certificate : undefined
  const earlier =
    replacing && newDetail !== undefined && inUse.state === 'judged'
      ? expiresBefore(newDetail, inUse.certificate)
      : undefined
  if (earlier !== undefined) {
    progress.laterFindings.push(earlier)
    progress.warn(earlier.message, earlier.title)
  }
  progress.leaves = replacing
    ? { certificateArn: plan.target.to.certificateArn, days: checkedDays(progress.checks, now) }
    : { certificateArn: plan.current.certificateArn, days: inUseDays(inUse) }
  const Changed = capitalized(changedSettings(changes))
  if (waiting === undefined)
    return withInUse(
      {
        result: `${Changed} changed; distribution takes up to an hour`,
        detail: rollbackHint(changes)
      },
      inUse,
      replacing
    )
  const outcome = await followChange(run, plan, cloudFrontDomain, sentAt, waiting)
  return 'rollBackAfter' in outcome ? outcome : withInUse(outcome, inUse, replacing)
}

/** After the change is on the domain: the wait, and the rollback when it fails. */
async function followChange(
  run: Run,
  plan: Update,
  cloudFrontDomain: string | undefined,
  sentAt: number,
  signal: AbortSignal
): Promise<Applied> {
  const { ports, settings, progress, certificates, cancel } = run
  const { changes } = plan
  const Changed = capitalized(changedSettings(changes))
  const followed = await waitForChange(
    ports,
    settings,
    progress,
    certificates,
    {
      target: plan.target,
      cloudFrontDomain,
      startedAt: sentAt,
      since: 'the change was sent',
      signal,
      certificate: 'the new certificate'
    },
    cancel
  )
  if ('ended' in followed) {
    const ended = followed.ended
    return {
      result: 'Failed',
      failure: isExpiredSession(ended)
        ? sessionEndedMessage(settings, plan.target.to, ended, 'after the change was sent')
        : `${failureMessage(ended, settings)} ${rollbackStep(settings, changes)}`,
      cause: ended
    }
  }
  const { rollout } = followed
  if (rollout.ok) {
    const replaced = certificateChange(changes)?.from
    const replacing = plan.target.to.certificateArn
    if (settings.retireReplaced && replaced !== undefined && replacing !== undefined) {
      if (rollout.served === undefined)
        progress.warn(
          `${replaced} was kept in ACM: the edge was not checked (no CloudFront domain or serial to check it by), and retire-replaced deletes a certificate only once the edge is seen to serve the new one.`,
          'Replaced certificate kept'
        )
      else await retireReplaced(run, replaced, replacing, signal)
    }
    return {
      result: `${Changed} changed and ${rollout.served === undefined ? 'ACTIVE' : 'served at the edge'} after ${rollout.seconds} s`,
      detail:
        progress.retired === undefined
          ? rollbackHint(changes)
          : retiredHint(changes, progress.retired)
    }
  }
  if (!settings.rollout.rollbackOnFailure)
    return { result: 'Failed', failure: `${rollout.message}. ${rollbackStep(settings, changes)}` }
  if (rollout.why === 'unreachable')
    return {
      result: 'Failed; not rolled back',
      failure: `${rollout.message}. Not rolled back: Cognito has the change ACTIVE, and an edge this runner could not reach proves nothing about what browsers get. Check what the edge serves from elsewhere (or give tls-endpoint; verify-tls: false if the runner has no route to CloudFront). ${rollbackStep(settings, changes)}`
    }
  return { rollBackAfter: rollout.message }
}

/** An update that is not on the domain, or may not be: what the run says, and what it leaves. */
function notApplied(
  run: Run,
  plan: Update,
  sent: Exclude<Sent, { state: 'applied' }>,
  inUse: InUse
): RunResult {
  const { ports, settings, progress } = run
  progress.change = { state: 'failed' }
  noteInUse(progress, ports.log, inUse, false)
  const explained = failureText(sent, settings, 'UpdateUserPoolDomain')
  const check = `Check it again in a few minutes with \`aws cognito-idp describe-user-pool-domain --domain ${settings.domain} --region ${settings.pool.region.name}\` (or run this action again: it changes nothing when the domain already carries the change).`
  const rollback = rollbackStep(settings, plan.changes)
  const leaves = (certificateArn: string | undefined) => {
    progress.leaves = {
      certificateArn,
      days: certificateArn === plan.current.certificateArn ? inUseDays(inUse) : undefined
    }
  }
  const failed = (failure: string) =>
    withInUse({ result: 'Failed', failure, cause: sent.error }, inUse, false)
  switch (sent.state) {
    case 'refused':
      leaves(plan.current.certificateArn)
      return failed(
        `${explained} Every attempt was refused or never reached Cognito, so nothing was changed.`
      )
    case 'unknown':
      progress.leaves = { certificateArn: undefined, days: undefined }
      return failed(
        `${explained} Whether the change was applied is unknown: an attempt may have reached Cognito, and the domain could not be described afterwards (${sent.why}). ${check} ${rollback}`
      )
    case 'not applied':
      leaves(sent.look.seen.certificateArn)
      return failed(
        `${explained} When described just now, the domain still carried what it had before, ${sent.look.text}: the change was not on it. An attempt whose answer never came may still be carried out by Cognito. ${check} ${rollback}`
      )
    case 'other':
      leaves(sent.look.seen.certificateArn)
      return failed(
        `${explained} The domain now carries ${sent.look.text}: neither this run's change nor what it had before, so another change reached it. This run changes nothing more; look at the domain before running again.`
      )
    case 'stopped':
      leaves(sent.look.state === 'unknown' ? undefined : sent.look.seen.certificateArn)
      return failed(
        `${explained} ${sent.why} This run changes nothing more; look at the domain before running again.`
      )
  }
}

/**
 * A run that sent nothing (the domain already carries what was asked for) with wait-for-rollout:
 * the wait resumes on what the domain carries, as it would have after the change. Nothing is sent.
 */
export async function resumeWait(
  run: Run,
  plan: Keep
): Promise<{ ok: boolean; text: string; failure?: string | undefined }> {
  const { ports, settings, progress, certificates, cancel } = run
  const { current } = plan
  progress.resumed = true
  const startedAt = ports.clock.now()
  const followed = await waitForChange(
    ports,
    settings,
    progress,
    certificates,
    {
      target: plan.target,
      cloudFrontDomain: current.cloudFrontDomain,
      startedAt,
      since: 'this run began to wait',
      certificate: 'the certificate the domain carries',
      signal: ports.clock.deadline(cancel, settings.rollout.timeoutMs, 'wait-timeout-minutes')
    },
    cancel
  )
  if ('ended' in followed) {
    const ended = followed.ended
    return {
      ok: false,
      text: 'Failed',
      failure: isExpiredSession(ended)
        ? sessionEndedMessage(settings, plan.target.to, ended, 'while this run waited')
        : `${failureMessage(ended, settings)} This run sent no change.`
    }
  }
  const { rollout } = followed
  if (rollout.ok)
    return {
      ok: true,
      text: `already carries it; ${rollout.served === undefined ? 'ACTIVE' : 'served at the edge'}`
    }
  const noRollback = settings.rollout.rollbackOnFailure
    ? ' rollback-on-failure has nothing to roll back to: this run found the change already on the domain and sent nothing, so it does not know what came before (the run that sent the change gave it as previous-certificate-arn).'
    : ''
  return {
    ok: false,
    text: 'Failed',
    failure: `${rollout.message}. This run sent no change: the domain already carried ${carriedText(current, plan.target.to)}.${noRollback}`
  }
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
