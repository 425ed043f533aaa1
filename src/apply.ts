import * as core from '@actions/core'
import type { DomainDescriptionType } from '@aws-sdk/client-cognito-identity-provider'
import { CallFailed } from './aws-calls.js'
import type { Cancellation } from './cancellation.js'
import { connectCognito, type Cognito } from './cognito.js'
import { edgeEndpoint, edgeProbe, type EdgeProbe } from './edge.js'
import type { Settings } from './inputs.js'
import { setOutput } from './outputs.js'
import {
  carriedBy,
  carriedText,
  certificateChange,
  changedSettings,
  changeOn,
  changesText,
  type Carried,
  type Plan,
  type Target
} from './plan.js'
import type { CertificateReader, Checks, InUse } from './certificates.js'
import { daysLeft, expiresBefore } from './certificate-rules.js'
import {
  checksText,
  inUseText,
  logLine,
  reportInUse,
  reportLeaves,
  reportRotated,
  reportUpdating,
  rollbackHint,
  rollbackStep,
  withInUse,
  type Outcome
} from './report.js'
import { followRollout, realClock, type Observation, type Rollout } from './rollout.js'
import { explainFailure, failureMessage, isExpiredSession } from './service-errors.js'
import { isCancelled, withDeadline } from './stages.js'
import { colonHex } from './tls-probe.js'

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
      reportLeaves(plan.current.certificateArn, daysOf(inUse))
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
  if (earlier !== undefined) core.warning(earlier.message, { title: earlier.title })
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

/**
 * After UpdateUserPoolDomain failed: when some attempt may have reached Cognito with its answer
 * lost, the domain is described before anything is said, since the change may be on it. Applied:
 * the run goes on with the CloudFront domain the description gives. Otherwise the failure, with
 * what the domain carries now.
 */
async function afterFailedUpdate(
  settings: Settings,
  plan: Update,
  error: unknown,
  cognito: Cognito,
  signal: AbortSignal
): Promise<
  { applied: true; cloudFrontDomain: string | undefined } | { applied: false; failure: string }
> {
  const explained = failureMessage(error, settings)
  if (!(error instanceof CallFailed) || !error.uncertain)
    return {
      applied: false,
      failure: `${explained} Every attempt was refused or never reached Cognito, so nothing was changed.`
    }
  logLine(
    `UpdateUserPoolDomain failed after an attempt whose answer was lost; describing ${settings.domain} to see whether the change is on it.`
  )
  let seen: Carried & { cloudFrontDomain?: string | undefined; status?: string | undefined }
  try {
    const description = await cognito.describeDomain(settings.domain, signal)
    seen = {
      ...carriedBy(description),
      cloudFrontDomain: description.CloudFrontDistribution,
      status: description.Status
    }
  } catch (described) {
    if (isCancelled(described)) throw described
    return {
      applied: false,
      failure: `${explained} Whether the change was applied is unknown: an attempt may have reached Cognito, and the domain could not be described afterwards (${describedError(described, settings)}). Check with \`aws cognito-idp describe-user-pool-domain --domain ${settings.domain} --region ${settings.pool.region.name}\`. ${rollbackStep(settings, plan.changes)}`
    }
  }
  const now = `${carriedText(seen, plan.target.to)} (status ${seen.status ?? 'not reported'})`
  switch (changeOn(seen, plan.target)) {
    case 'applied':
      core.warning(
        `UpdateUserPoolDomain reported a failure, but the domain now carries this run's change: ${now}. An earlier attempt reached Cognito and its answer was lost; the failure was that of a later attempt: ${explained}`,
        { title: 'Update applied; its answer was lost' }
      )
      return {
        applied: true,
        cloudFrontDomain: seen.cloudFrontDomain ?? plan.current.cloudFrontDomain
      }
    case 'not applied':
      return {
        applied: false,
        failure: `${explained} The change was not applied: the domain still carries what it had before, ${now}. Nothing was changed.`
      }
    case 'other':
      return {
        applied: false,
        failure: `${explained} The domain now carries ${now}: neither this run's change nor what it had before, so another change reached it. This run changes nothing more; look at the domain before running again.`
      }
  }
}

function describedError(error: unknown, settings: Settings): string {
  return error instanceof CallFailed
    ? explainFailure(error, settings)
    : error instanceof Error
      ? error.message
      : String(error)
}

/**
 * Follows a change (sent at `sentAt`, or found on the domain) to ACTIVE and, with verify-tls, to
 * the edge, within wait-timeout-minutes from `sentAt`: a hard deadline that ends the poll, probe or
 * sleep in flight. A failure of a poll that does not pass (AccessDenied, an ended session) comes
 * back as `ended`.
 */
async function waitForChange(
  settings: Settings,
  target: Target,
  cloudFrontDomain: string | undefined,
  certificates: CertificateReader,
  context: {
    sentAt: number
    cancellation: Cancellation
    onCancel: (signal: string, seen: string) => Outcome
  }
): Promise<{ rollout: Rollout } | { ended: unknown }> {
  const { rollout: timing } = settings
  const { sentAt, cancellation } = context
  let last: Observation | undefined
  cancellation.describe((signal) =>
    context.onCancel(
      signal,
      last === undefined ? 'not described yet' : `${last.status} on ${carriedText(last, target.to)}`
    )
  )
  const waiting = withDeadline(
    cancellation.signal,
    timing.timeoutMs - (Date.now() - sentAt),
    'wait-timeout-minutes'
  )
  const probe = await tlsProbe(settings, target, cloudFrontDomain, certificates)
  // Polls make one call each, without the SDK's retries: at most one call per interval.
  const poller = await connectCognito(
    settings.pool,
    { maxAttempts: 1, attemptMs: settings.limits.attemptMs },
    logLine
  )
  logLine(
    `Waiting up to ${timing.timeoutMs / 60_000} min from the change for the domain to be ACTIVE with it${probe === undefined ? '' : ' and for the edge to serve the new certificate'}, checking every ${timing.intervalMs / 1000} s.`
  )
  try {
    const rollout = await followRollout(
      target,
      { timeoutMs: timing.timeoutMs, intervalMs: timing.intervalMs, startedAt: sentAt },
      {
        describe: async (signal) => {
          last = observe(await poller.describeDomain(settings.domain, signal))
          return last
        },
        ...(probe !== undefined && { probe }),
        clock: realClock,
        log: logLine,
        signal: waiting
      }
    )
    reportRollout(rollout)
    return { rollout }
  } catch (error) {
    if (isCancelled(error)) throw error
    return { ended: error }
  }
}

/**
 * A probe of the served certificate, or none when verify-tls is off, the change sets no
 * certificate, or the check can't be done.
 */
async function tlsProbe(
  settings: Settings,
  target: Target,
  cloudFrontDomain: string | undefined,
  certificates: CertificateReader
): Promise<EdgeProbe | undefined> {
  const certificateArn = target.to.certificateArn
  if (!settings.rollout.verifyTls || certificateArn === undefined) return undefined
  if (target.from.certificateArn === certificateArn) return undefined
  const endpoint = edgeEndpoint(settings, cloudFrontDomain)
  if (endpoint === undefined) {
    core.warning(
      'Cognito reported no CloudFront domain, so the served certificate is not checked. Give tls-endpoint to check it.',
      { title: 'TLS check skipped' }
    )
    return undefined
  }
  const serial = await expectedSerial(certificateArn, certificates)
  if (serial === undefined) return undefined
  logLine(
    `ACM gives the new certificate's serial as ${serial}; checking what ${endpoint.host}:${endpoint.port} serves with SNI ${settings.domain}.`
  )
  return edgeProbe(settings, endpoint, serial)
}

/** The new certificate's serial, as ACM gives it (read once: by the pre-flight, or now). */
async function expectedSerial(
  certificateArn: string,
  certificates: CertificateReader
): Promise<string | undefined> {
  const reading = await certificates.read(certificateArn)
  const serial = reading.state === 'read' ? reading.certificate.Serial : undefined
  if (serial !== undefined && serial !== '') return serial
  core.warning(
    `The served certificate is not checked: its serial could not be read from ACM. ${reading.state === 'read' ? 'ACM gave no serial.' : reading.why}`,
    { title: 'TLS check skipped' }
  )
  return undefined
}

/**
 * Puts back what the domain had, and waits for it (its own wait-timeout-minutes) — but only while
 * the domain still carries what this run set: it is described right before, and when it carries
 * anything else, another change reached it, and nothing is sent.
 */
async function rollBack(
  settings: Settings,
  plan: Update,
  cognito: Cognito,
  signal: AbortSignal
): Promise<{ done: boolean; message: string }> {
  const previous = plan.changes
    .map((change) => `${change.what} ${change.from ?? '(not reported: kept as it is)'}`)
    .join(', ')
  const manual = rollbackStep(settings, plan.changes)
  const said = (done: boolean, message: string) => {
    logLine(message)
    return { done, message }
  }
  let now: Carried & { status?: string | undefined }
  try {
    const description = await cognito.describeDomain(settings.domain, signal)
    now = { ...carriedBy(description), status: description.Status }
  } catch (error) {
    if (isCancelled(error)) throw error
    return said(
      false,
      `Not rolled back: the domain could not be described before the rollback (${describedError(error, settings)}), and this action rolls back only what it has just seen carry its own change. ${manual}`
    )
  }
  if (changeOn(now, plan.target) !== 'applied')
    return said(
      false,
      `Not rolled back: the domain now carries ${carriedText(now, plan.target.to)} (status ${now.status ?? 'not reported'}), not what this run set, so another change reached it after this one. Rolling back would overwrite that change: nothing was sent. Look at the domain and decide which certificate it should serve.`
    )
  logLine(`rollback-on-failure: sending UpdateUserPoolDomain back to ${previous}`)
  const { timeoutMs, intervalMs } = settings.rollout
  try {
    const sentAt = Date.now()
    await cognito.updateDomain(plan.undo, signal)
    const poller = await connectCognito(
      settings.pool,
      { maxAttempts: 1, attemptMs: settings.limits.attemptMs },
      logLine
    )
    const back = await followRollout(
      { to: pickKeys(plan.target.from, plan.target.to), from: plan.target.to },
      { timeoutMs, intervalMs, startedAt: sentAt },
      {
        describe: async (polled) => observe(await poller.describeDomain(settings.domain, polled)),
        clock: realClock,
        log: logLine,
        label: 'Rollback',
        signal: withDeadline(
          signal,
          timeoutMs - (Date.now() - sentAt),
          'wait-timeout-minutes (rollback)'
        )
      }
    )
    setOutput('status', back.status ?? '')
    return back.ok
      ? said(true, `Rolled back: the domain is ACTIVE again on ${previous} (${back.seconds} s).`)
      : said(false, `The rollback to ${previous} did not complete: ${back.message}. ${manual}`)
  } catch (error) {
    if (isCancelled(error)) throw error
    const why = isExpiredSession(error)
      ? sessionEndedMessage(settings, plan.target, error, 'during the rollback')
      : failureMessage(error, settings)
    return said(false, `The rollback to ${previous} failed: ${why} ${manual}`)
  }
}

/** The values of `from` for the keys `keys` names. */
function pickKeys(from: Carried, keys: Carried): Carried {
  return Object.fromEntries(Object.keys(keys).map((key) => [key, from[key as keyof Carried]]))
}

/**
 * The role session of the job's credentials ended (ExpiredToken) after the change was sent: what
 * the domain was changed to, why, and how to finish.
 */
function sessionEndedMessage(
  settings: Settings,
  target: Target,
  error: unknown,
  when: string
): string {
  const minutes = settings.rollout.timeoutMs / 60_000
  const withRollback = settings.rollout.rollbackOnFailure ? 2 * minutes : minutes
  return `The AWS role session of this job ended ${when} (${failureMessage(error, settings)}). The domain was changed to ${carriedText(target.to, target.to)}; Cognito goes on distributing that change without this job. The session must outlast wait-timeout-minutes (${minutes} min${settings.rollout.rollbackOnFailure ? `, and as much again for a rollback: ${withRollback} min` : ''}): with aws-actions/configure-aws-credentials set role-duration-seconds (one hour by default for OIDC) to at least ${Math.ceil(withRollback * 60 + 600)}, and the role's maximum session duration (IAM) to no less. To finish, run this action again with the same inputs: it sends nothing again, since the domain already carries the change, and the wait resumes.`
}

function observe(description: DomainDescriptionType): Observation {
  return { status: description.Status ?? 'unknown', ...carriedBy(description) }
}

function reportRollout(rollout: Rollout): void {
  setOutput('status', rollout.status ?? '')
  setOutput('rollout-seconds', String(rollout.seconds))
  if (rollout.served !== undefined) setOutput('served-certificate-serial', rollout.served.serial)
  if (rollout.ok)
    logLine(
      `Rollout complete after ${rollout.seconds} s: the domain is ${rollout.status}${rollout.served === undefined ? '' : ` and the edge serves serial ${colonHex(rollout.served.serial)}`}.`
    )
}

function rolloutText(rollout: Rollout): string {
  const served = rollout.served === undefined ? '' : `, edge serves serial ${rollout.served.serial}`
  return rollout.ok
    ? `${rollout.status} after ${rollout.seconds} s${served}`
    : `${rollout.why} after ${rollout.seconds} s (status ${rollout.status ?? 'unknown'}${served})`
}
