/** rollback-on-failure: undoing a failed rollout, and only this run's own change. */
import { connectCognito, type Cognito } from './cognito.js'
import { observe, sessionEndedMessage } from './follow.js'
import type { Settings } from './inputs.js'
import { describedError } from './lost-answer.js'
import { setOutput } from './outputs.js'
import { carriedBy, carriedText, changeOn, type Carried, type Plan } from './plan.js'
import { logLine, rollbackStep } from './report.js'
import { followRollout, realClock } from './rollout.js'
import { failureMessage, isExpiredSession } from './service-errors.js'
import { isCancelled, withDeadline } from './stages.js'

type Update = Extract<Plan, { action: 'update' }>

/**
 * Puts back what the domain had, and waits for it (its own wait-timeout-minutes) — but only while
 * the domain still carries what this run set: it is described right before, and when it carries
 * anything else, another change reached it, and nothing is sent.
 */
export async function rollBack(
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
