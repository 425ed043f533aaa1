import { carriedText, carries, foreignSetting, type Carried, type Target } from '../rules/plan.js'
import { errorName, transientFault } from '../aws/errors.js'
import { sleep, TimeUp } from './time.js'
import type { Served } from '../aws/tls.js'

/** Time, as the rollout sees it; tests give it a fake one. */
export interface Clock {
  now: () => number
  /** Waits, or rejects with the signal's reason when it ends first. */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>
}

export const realClock: Clock = { now: () => Date.now(), sleep }

/** What one DescribeUserPoolDomain poll saw. */
export interface Observation extends Carried {
  status: string
}

export interface Timing {
  timeoutMs: number
  intervalMs: number
  /** When the change was sent (clock time): the deadline counts from there. Default: now. */
  startedAt?: number
  /** What the deadline counts from, in the messages. Default: the change was sent. */
  since?: string
}

export interface Watch {
  /** One DescribeUserPoolDomain call, ended by the signal; throws CallFailed. */
  describe: (signal: AbortSignal) => Promise<Observation>
  /** Reads the served certificate and says whether it is the target; absent: no TLS check. */
  probe?: (signal: AbortSignal) => Promise<{ served: Served; matches: boolean }>
  clock: Clock
  log: (line: string) => void
  /** What the progress lines start with: Rollout, or Rollback. */
  label?: string
  /**
   * Ends every poll, probe and sleep where it stands: with a TimeUp, the wait has timed out; with
   * any other reason (a cancelled job), that reason is thrown.
   */
  signal: AbortSignal
}

export type Rollout =
  | { ok: true; status: string; seconds: number; served: Served | undefined }
  | {
      ok: false
      /**
       * unreachable: Cognito has the change ACTIVE, and no probe ever reached the edge, which
       * proves nothing about what browsers get (unlike wrong-certificate).
       */
      why: 'failed' | 'replaced' | 'timeout' | 'wrong-certificate' | 'unreachable'
      message: string
      status: string | undefined
      seconds: number
      served: Served | undefined
    }

/** Polling never slows down past this, however often Cognito throttles it. */
const MAX_INTERVAL_MS = 5 * 60_000

/**
 * Follows a change to the edge: polls DescribeUserPoolDomain (one call per interval, no retries
 * of its own) until the domain is ACTIVE with everything the change sets, then, with a probe,
 * reads the served certificate until it is the target. Throttling and passing faults slow the
 * polling down instead of ending it. Ends when the time is up (the deadline counts from the moment
 * the change was sent, and the signal ends the call or probe in flight), or at once when the domain
 * turns FAILED or carries what neither this change nor the one before it set.
 */
export async function followRollout(
  target: Target,
  timing: Timing,
  watch: Watch
): Promise<Rollout> {
  const { clock, log, signal } = watch
  const label = watch.label ?? 'Rollout'
  const since = timing.since ?? 'the change was sent'
  const started = timing.startedAt ?? clock.now()
  const deadline = started + timing.timeoutMs
  const elapsed = () => Math.round((clock.now() - started) / 1000)
  let interval = timing.intervalMs
  let last: Observation | undefined
  let served: Served | undefined
  const failure = (why: Exclude<Rollout, { ok: true }>['why'], message: string): Rollout => ({
    ok: false,
    why,
    message,
    status: last?.status,
    seconds: elapsed(),
    served
  })
  const timeUp = (what: string) =>
    failure('timeout', `${what} when wait-timeout-minutes ran out (${elapsed()} s after ${since})`)
  const stillStatus = () =>
    last === undefined
      ? 'No poll of the domain had been answered'
      : `The domain was still ${last.status} on ${carriedText(last, target.to)}`

  // Until Cognito says the domain is ACTIVE with what the change sets.
  for (;;) {
    try {
      last = await watch.describe(signal)
      log(`${label} ${mmss(elapsed())}: status ${last.status}, ${carriedText(last, target.to)}`)
      if (last.status === 'FAILED')
        return failure('failed', `Cognito reports the domain FAILED ${elapsed()} s after ${since}`)
      const other = foreignSetting(last, target)
      if (other !== undefined)
        return failure(
          'replaced',
          `The domain now carries ${other} (status ${last.status}), which neither this change nor the configuration before it set: another change replaced this one`
        )
      if (last.status === 'ACTIVE' && carries(last, target.to)) break
    } catch (error) {
      if (ended(signal)) return timeUp(stillStatus())
      const fault = transientFault(error)
      if (fault === undefined) throw error
      if (fault === 'throttled')
        interval = Math.min(interval * 2, Math.max(MAX_INTERVAL_MS, timing.intervalMs))
      log(
        `${label} ${mmss(elapsed())}: ${fault === 'throttled' ? 'Cognito throttled the poll' : 'the poll failed'} (${errorName(error)}); next poll in ${Math.round(interval / 1000)} s`
      )
    }
    if (clock.now() >= deadline) return timeUp(stillStatus())
    try {
      await clock.sleep(Math.min(interval, deadline - clock.now()), signal)
    } catch (error) {
      if (ended(signal)) return timeUp(stillStatus())
      throw error
    }
  }
  const status = last.status

  // Until the edge serves the target certificate.
  const probe = watch.probe
  if (probe === undefined) return { ok: true, status, seconds: elapsed(), served }
  let lastProblem = 'no connection was made'
  let reached = false
  const wrongCertificate = () =>
    reached
      ? failure(
          'wrong-certificate',
          `Cognito reports the domain ACTIVE on the new certificate, but when wait-timeout-minutes ran out (${elapsed()} s after ${since}) ${lastProblem}`
        )
      : failure(
          'unreachable',
          `Cognito reports the domain ACTIVE on the new certificate, but until wait-timeout-minutes ran out (${elapsed()} s after ${since}) no probe reached the edge to see what it serves: ${lastProblem}`
        )
  for (;;) {
    try {
      const seen = await probe(signal)
      reached = true
      served = seen.served
      log(
        `TLS ${mmss(elapsed())}: served serial ${served.serial} (CN ${served.subject}, valid to ${served.validTo})${seen.matches ? ': the new certificate' : ': not the new certificate yet'}`
      )
      if (seen.matches) return { ok: true, status, seconds: elapsed(), served }
      lastProblem = `it still served serial ${served.serial} (CN ${served.subject})`
    } catch (error) {
      if (ended(signal)) return wrongCertificate()
      lastProblem = `the TLS connection failed (${error instanceof Error ? error.message : String(error)})`
      log(`TLS ${mmss(elapsed())}: ${lastProblem}`)
    }
    if (clock.now() >= deadline) return wrongCertificate()
    try {
      await clock.sleep(Math.min(timing.intervalMs, deadline - clock.now()), signal)
    } catch (error) {
      if (ended(signal)) return wrongCertificate()
      throw error
    }
  }
}

/** The wait's time is up: anything else that ended the signal (a cancellation) is thrown. */
function ended(signal: AbortSignal): boolean {
  if (!signal.aborted) return false
  if (signal.reason instanceof TimeUp) return true
  throw signal.reason
}

/** m:ss since the change. */
function mmss(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`
}
