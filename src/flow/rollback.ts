/** rollback-on-failure: undoing a failed rollout, and only this run's own change. */
import { connectCognito, type Cognito } from '../aws/cognito.js'
import { observe } from './follow.js'
import type { Settings } from '../inputs/settings.js'
import { lookAt, type Look } from './send.js'
import { setOutput } from '../report/outputs.js'
import {
  carriedText,
  changeOn,
  rollbackTarget,
  undoRequest,
  type Plan,
  type Target
} from '../rules/plan.js'
import { logLine, logLines, rollbackStep } from '../report/report.js'
import { followRollout, realClock } from './wait.js'
import { failureMessage, isExpiredSession, transientFault } from '../aws/errors.js'
import { isCancelled, sleep, withDeadline } from './time.js'

type Update = Extract<Plan, { action: 'update' }>

/** The longest pause between two tries of the rollback's update. */
const MAX_PAUSE_MS = 20_000

/**
 * Puts back what the domain had, and waits for it (its own wait-timeout-minutes) — but only while
 * the domain still carries what this run set. It is described right before, and the request is
 * made from that description: each setting this run changed goes back, everything else stays as
 * the domain carries it now. The update is sent one attempt at a time, and before each retry the
 * domain is described again: an answer that was lost may have been carried out, and a change
 * someone else made meanwhile is never overwritten.
 */
export async function rollBack(
  settings: Settings,
  plan: Update,
  cognito: Cognito,
  signal: AbortSignal
): Promise<{ done: boolean; message: string }> {
  const back = rollbackTarget(plan.target)
  const previous = carriedText(back.to, back.to)
  const manual = rollbackStep(settings, plan.changes)
  const said = (done: boolean, message: string) => {
    logLines(message)
    return { done, message }
  }
  if (Object.keys(back.to).length === 0)
    return said(
      false,
      `Not rolled back: before this run the domain reported none of the settings it changed, so there is nothing to put back. ${manual}`
    )

  const before = await lookAt(settings, plan.target, cognito, signal)
  if (before.state === 'unknown')
    return said(
      false,
      `Not rolled back: the domain could not be described before the rollback (${sessionOr(settings, before.error, before.why)}), and this action rolls back only what it has just seen carry its own change. ${manual}`
    )
  if (before.state !== 'applied')
    return said(
      false,
      `Not rolled back: the domain now carries ${before.text}, not what this run set, so another change reached it after this one. Rolling back would overwrite that change: nothing was sent. Look at the domain and decide which certificate it should serve.`
    )

  const request = undoRequest(settings, plan.changes, before.description)
  logLine(`rollback-on-failure: sending UpdateUserPoolDomain back to ${previous}`)
  const once = await connectCognito(
    settings.pool,
    { maxAttempts: 1, attemptMs: settings.limits.attemptMs },
    logLine
  )
  const sentAt = Date.now()
  const sent = await sendGuarded(settings, plan.target, back, signal, {
    send: (stage) => once.updateDomain(request, stage),
    look: (target) => lookAt(settings, target, cognito, signal)
  })
  if (!sent.ok)
    return said(false, `The rollback to ${previous} did not go through: ${sent.why} ${manual}`)

  const { timeoutMs, intervalMs } = settings.rollout
  try {
    const followed = await followRollout(
      back,
      { timeoutMs, intervalMs, startedAt: sentAt },
      {
        describe: async (polled) => observe(await once.describeDomain(settings.domain, polled)),
        clock: realClock,
        log: logLine,
        label: 'Rollback',
        signal: withDeadline(
          signal,
          Math.max(timeoutMs - (Date.now() - sentAt), settings.limits.attemptMs),
          'wait-timeout-minutes (rollback)'
        )
      }
    )
    setOutput('status', followed.status ?? '')
    return followed.ok
      ? said(
          true,
          `Rolled back: the domain is ACTIVE again on ${previous} (${followed.seconds} s).`
        )
      : said(false, `The rollback to ${previous} did not complete: ${followed.message}. ${manual}`)
  } catch (error) {
    if (isCancelled(error)) throw error
    return said(
      false,
      `The rollback to ${previous} was sent, but following it failed: ${sessionOr(settings, error, failureMessage(error, settings))} ${manual}`
    )
  }
}

/**
 * Sends the rollback's update one attempt at a time. After a failure the domain is described:
 * carrying the rollback, it went through (its answer was lost); still carrying this run's change
 * and the failure passes (throttling, a 5xx, a connection), it is tried again after a pause; else
 * it stops there.
 */
async function sendGuarded(
  settings: Settings,
  change: Target,
  back: Target,
  signal: AbortSignal,
  calls: { send: (stage: AbortSignal) => Promise<unknown>; look: (target: Target) => Promise<Look> }
): Promise<{ ok: true } | { ok: false; why: string }> {
  const { maxAttempts } = settings.limits
  for (let attempt = 1; ; attempt++) {
    try {
      await calls.send(signal)
      return { ok: true }
    } catch (error) {
      if (isCancelled(error)) throw error
      const failed = sessionOr(settings, error, failureMessage(error, settings))
      const look = await calls.look(back)
      if (look.state === 'applied') {
        logLine(
          `The rollback's UpdateUserPoolDomain reported a failure, but the domain carries it: ${look.text}.`
        )
        return { ok: true }
      }
      if (look.state === 'unknown')
        return {
          ok: false,
          why: `${failed} The domain could not be described afterwards (${look.why}), so it was not tried again.`
        }
      if (changeOn(look.seen, change) !== 'applied')
        return {
          ok: false,
          why: `${failed} The domain now carries ${look.text}: another change reached it, so it was not tried again.`
        }
      if (transientFault(error) === undefined || attempt >= maxAttempts)
        return {
          ok: false,
          why: `${failed} The domain still carries this run's change (${look.text}).`
        }
      const pause = Math.min(MAX_PAUSE_MS, 1_000 * 2 ** (attempt - 1))
      logLine(
        `Rollback: attempt ${attempt + 1} of ${maxAttempts} in ${pause / 1000} s; the domain still carries this run's change (${look.text}).`
      )
      await sleep(pause, signal)
    }
  }
}

/** A failure's message, or, for a role session that ended, what that means for the rollback. */
function sessionOr(settings: Settings, error: unknown, message: string): string {
  if (!isExpiredSession(error)) return message
  const minutes = settings.rollout.timeoutMs / 60_000
  return `the AWS role session of this job ended during the rollback (${message}). The session must outlast the wait and a rollback, wait-timeout-minutes twice (${2 * minutes} min): with aws-actions/configure-aws-credentials set role-duration-seconds to at least ${Math.ceil(2 * minutes * 60 + 600)}, and the role's maximum session duration (IAM) to no less. Look at the domain, then finish the rollback as below if it still carries this run's change`
}
