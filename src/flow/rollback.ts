/**
 * rollback-on-failure: undoing a failed rollout, and only this run's own change, and only towards a
 * certificate that passes the rules a new one must pass. Right before, the domain is described and
 * the certificate to put back is read again and judged; the request is made from that look, and
 * sent at once. Its update, looks, pauses and wait all end within its own deadline,
 * wait-timeout-minutes from the moment it is first sent.
 */
import { isExpiredSession } from '../aws/errors.js'
import { failureMessage } from '../aws/explain.js'
import { isCancelled, timedOut } from '../common/time.js'
import type { Settings } from '../inputs/settings.js'
import {
  carriedText,
  certificateChange,
  rollbackTarget,
  undoRequest,
  type Plan
} from '../rules/plan.js'
import {
  expectedOf,
  inUseDays,
  judgeTarget,
  mayBeSent,
  withInUse,
  type CertificateReader
} from './certificates.js'
import { lookAt } from './look.js'
import { rollbackStep } from './messages.js'
import type { Ports } from './ports.js'
import type { Checks, Progress, RunResult } from './progress.js'
import type { Run } from './run.js'
import { failureText, sendUpdate, type Sent } from './send.js'
import { followRollout } from './wait.js'

type Update = Extract<Plan, { action: 'update' }>

export interface RolledBack {
  done: boolean
  message: string
}

/**
 * The rollout of this run's change failed (`failed` says how): rollback-on-failure puts back what
 * the domain had, and the run fails either way.
 */
export async function rollBackAfter(run: Run, plan: Update, failed: string): Promise<RunResult> {
  const { ports, settings, progress, certificates, cancel } = run
  progress.rollingBackAfter = failed
  const rolledBack = await rollBack(ports, settings, progress, certificates, plan, cancel)
  for (const line of rolledBack.message.split('\n')) ports.log(line)
  if (rolledBack.done)
    progress.leaves = {
      certificateArn: plan.current.certificateArn,
      days: inUseDays(progress.inUse)
    }
  const result = {
    result: rolledBack.done ? 'Failed; rolled back' : 'Failed; not rolled back',
    failure: `${failed}. ${rolledBack.message}`
  }
  return progress.inUse === undefined
    ? result
    : withInUse(result, progress.inUse, certificateChange(plan.changes) !== undefined)
}

/**
 * Puts back what the domain had, and waits for it, but only while the domain still carries what
 * this run set, and only when what goes back passes the checks (a certificate that is expired, not
 * ISSUED, does not cover the domain, or could not be read is never put back).
 */
export async function rollBack(
  ports: Ports,
  settings: Settings,
  progress: Progress,
  certificates: CertificateReader,
  plan: Update,
  cancel: AbortSignal
): Promise<RolledBack> {
  const { clock, log } = ports
  progress.stage = 'rolling back'
  const back = rollbackTarget(plan.target)
  const previous = carriedText(back.to, back.to)
  const manual = rollbackStep(settings, plan.changes)
  if (Object.keys(back.to).length === 0)
    return {
      done: false,
      message: `Not rolled back: before this run the domain reported none of the settings it changed, so there is nothing to put back. ${manual}`
    }

  // The look right before: the domain, and the certificate that would go back, read again now.
  const returning = back.to.certificateArn
  const judging =
    returning !== undefined &&
    returning !== plan.target.to.certificateArn &&
    settings.verifyCertificate
      ? certificates
          .readFresh(returning, cancel)
          .then((reading) => judgeTarget(reading, expectedOf(settings), new Date(clock.now())))
      : undefined
  judging?.catch(() => undefined)
  const before = await lookAt(ports.cognito, settings, plan.target, cancel)
  const checks = await judging
  if (before.state === 'unknown')
    return {
      done: false,
      message: `Not rolled back: the domain could not be described before the rollback (${sessionOr(settings, before.error, before.why)}), and this action rolls back only what it has just seen carry its own change. ${manual}`
    }
  if (before.state !== 'applied')
    return {
      done: false,
      message: `Not rolled back: the domain now carries ${before.text}, not what this run set, so another change reached it after this one. Rolling back would overwrite that change: nothing was sent. Look at the domain and decide which certificate it should serve.`
    }
  if (checks !== undefined && !mayBeSent(checks))
    return { done: false, message: refusedTarget(settings, returning ?? '', checks, before.text) }
  if (checks?.state === 'skipped')
    progress.warn(
      `The certificate to put back, ${returning ?? ''}, was not checked: ${checks.why}`,
      'Rollback target not checked'
    )

  // Sent at once, from that look; from here on the rollback's own deadline holds.
  const { timeoutMs } = settings.rollout
  const startedAt = clock.now()
  const signal = clock.deadline(cancel, timeoutMs, 'wait-timeout-minutes (rollback)')
  log(`rollback-on-failure: sending UpdateUserPoolDomain back to ${previous}`)
  let sent: Sent
  try {
    sent = await sendUpdate(
      ports,
      settings,
      {
        label: "The rollback's UpdateUserPoolDomain",
        target: back,
        first: undoRequest(settings, plan.changes, before.description),
        again: (look) => undoRequest(settings, plan.changes, look.description),
        maxAttempts: settings.limits.maxAttempts
      },
      signal
    )
  } catch (error) {
    if (!timedOut(signal)) throw error
    return {
      done: false,
      message: `The rollback to ${previous} was being sent when its time (wait-timeout-minutes, counted from when it was first sent) ran out: whether it went through is unknown. ${manual}`
    }
  }
  if (sent.state !== 'applied')
    return {
      done: false,
      message: `The rollback to ${previous} did not go through: ${whyNotSent(settings, sent)} ${manual}`
    }
  if (sent.lost !== undefined && sent.lost.look.state !== 'unknown')
    log(
      `The rollback's UpdateUserPoolDomain reported a failure, but the domain carries it: ${sent.lost.look.text}.`
    )
  // The CloudFront domain the rollback's answer gives is the one the domain has now.
  if (sent.cloudFrontDomain !== undefined)
    progress.change = { state: 'applied', cloudFrontDomain: sent.cloudFrontDomain }

  try {
    const followed = await followRollout({
      target: back,
      poll: (polled) => ports.cognito.pollDomain(settings.domain, polled),
      startedAt,
      since: 'the rollback was sent',
      intervalMs: settings.rollout.intervalMs,
      label: 'Rollback',
      signal,
      cancel,
      clock,
      log,
      onPoll: (seen) => {
        progress.lastStatus = seen.status
      }
    })
    return followed.ok
      ? {
          done: true,
          message: `Rolled back: the domain is ACTIVE again on ${previous} (${followed.seconds} s).`
        }
      : {
          done: false,
          message: `The rollback to ${previous} did not complete: ${followed.message}. ${manual}`
        }
  } catch (error) {
    if (isCancelled(error)) throw error
    return {
      done: false,
      message: `The rollback to ${previous} was sent, but following it failed: ${sessionOr(settings, error, failureMessage(error, settings))} ${manual}`
    }
  }
}

/** Why the rollback's update did not go through. */
function whyNotSent(settings: Settings, sent: Exclude<Sent, { state: 'applied' }>): string {
  const failed = sessionOr(
    settings,
    sent.error,
    failureText(sent, settings, "The rollback's UpdateUserPoolDomain")
  )
  switch (sent.state) {
    case 'refused':
      return failed
    case 'unknown':
      return `${failed} The domain could not be described afterwards (${sent.why}), so it was not tried again.`
    case 'other':
      return `${failed} The domain now carries ${sent.look.text}: another change reached it, so it was not tried again.`
    case 'not applied':
      return `${failed} The domain still carries this run's change (${sent.look.text}).`
    case 'stopped':
      return `${failed} ${sent.why}`
  }
}

/** The certificate a rollback would put back does not pass the checks: nothing is sent. */
function refusedTarget(settings: Settings, arn: string, checks: Checks, carried: string): string {
  const why =
    checks.state === 'judged'
      ? `it does not pass the checks a new certificate must pass (${checks.verdict.refusals.map((refusal) => refusal.title).join('; ')}): ${checks.verdict.refusals.map((refusal) => refusal.message).join(' ')}`
      : checks.state === 'unread'
        ? `it could not be read from ACM (${checks.why}), and this action never puts back a certificate it could not judge.`
        : 'it could not be judged.'
  return `Not rolled back: the certificate the domain had before, ${arn}, can't be put back: ${why} The domain keeps this run's change, ${carried}. Look at why the rollout failed; to give the domain another certificate, run this action with certificate-arn set to an ISSUED certificate that covers ${settings.domain} (or certificate-arn: newest).`
}

/** A failure's message, or, for a role session that ended, what that means for the rollback. */
function sessionOr(settings: Settings, error: unknown, message: string): string {
  if (!isExpiredSession(error)) return message
  const minutes = settings.rollout.timeoutMs / 60_000
  return `the AWS role session of this job ended during the rollback (${message}). The session must outlast the wait and a rollback, wait-timeout-minutes twice (${2 * minutes} min): with aws-actions/configure-aws-credentials set role-duration-seconds to at least ${Math.ceil(2 * minutes * 60 + 600)}, and the role's maximum session duration (IAM) to no less. Look at the domain, then finish the rollback as below if it still carries this run's change`
}
