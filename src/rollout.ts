import { CallFailed } from './aws-calls.js'
import { errorName, isNetworkFailure } from './service-errors.js'
import type { Served } from './tls-probe.js'

/** Time, as the rollout sees it; tests give it a fake one. */
export interface Clock {
  now: () => number
  sleep: (ms: number) => Promise<void>
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms))
}

/** What one DescribeUserPoolDomain poll saw. */
export interface Observation {
  status: string
  certificateArn: string | undefined
}

export interface Target {
  /** The certificate the domain should end on; undefined for a prefix domain, which has none. */
  certificateArn: string | undefined
  /** The one it replaces: seeing it while waiting is not a conflict. */
  previousArn: string | undefined
}

export interface Timing {
  timeoutMs: number
  intervalMs: number
}

export interface Watch {
  /** One DescribeUserPoolDomain call; throws CallFailed. */
  describe: () => Promise<Observation>
  /** Reads the served certificate and says whether it is the target; absent: no TLS check. */
  probe?: () => Promise<{ served: Served; matches: boolean }>
  clock: Clock
  log: (line: string) => void
  /** What the progress lines start with: Rollout, or Rollback. */
  label?: string
}

export type Rollout =
  | { ok: true; status: string; seconds: number; served: Served | undefined }
  | {
      ok: false
      why: 'failed' | 'replaced' | 'timeout' | 'wrong-certificate'
      message: string
      status: string | undefined
      seconds: number
      served: Served | undefined
    }

/** Polling never slows down past this, however often Cognito throttles it. */
const MAX_INTERVAL_MS = 5 * 60_000

/**
 * Follows a change to the edge: polls DescribeUserPoolDomain (one call per interval, no retries
 * of its own) until the domain is ACTIVE on the target certificate, then, with a probe, reads the
 * served certificate until it is the target. Throttling and passing faults slow the polling down
 * instead of ending it. Ends with the time, or at once when the domain turns FAILED or another
 * certificate takes its place.
 */
export async function followRollout(
  target: Target,
  timing: Timing,
  watch: Watch
): Promise<Rollout> {
  const { clock, log } = watch
  const label = watch.label ?? 'Rollout'
  const started = clock.now()
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

  // Until Cognito says the domain is ACTIVE on the target certificate.
  for (;;) {
    try {
      last = await watch.describe()
      log(
        `${label} ${mmss(elapsed())}: status ${last.status}, certificate ${last.certificateArn ?? 'not reported'}`
      )
      if (last.status === 'FAILED')
        return failure(
          'failed',
          `Cognito reports the domain FAILED ${elapsed()} s after the change`
        )
      if (last.status === 'ACTIVE' && last.certificateArn === target.certificateArn) break
      if (
        last.status === 'ACTIVE' &&
        last.certificateArn !== undefined &&
        last.certificateArn !== target.certificateArn &&
        last.certificateArn !== target.previousArn
      )
        return failure(
          'replaced',
          `The domain went ACTIVE on another certificate, ${last.certificateArn}: another change replaced this one`
        )
    } catch (error) {
      const fault = passingFault(error)
      if (fault === undefined) throw error
      if (fault === 'throttled')
        interval = Math.min(interval * 2, Math.max(MAX_INTERVAL_MS, timing.intervalMs))
      log(
        `${label} ${mmss(elapsed())}: ${fault === 'throttled' ? 'Cognito throttled the poll' : 'the poll failed'} (${errorName(error)}); next poll in ${Math.round(interval / 1000)} s`
      )
    }
    if (clock.now() >= deadline)
      return failure(
        'timeout',
        `The domain was still ${last?.status ?? 'not described'} on ${last?.certificateArn ?? 'an unknown certificate'} when wait-timeout-minutes ran out (${elapsed()} s)`
      )
    await clock.sleep(Math.min(interval, deadline - clock.now()))
  }
  const status = last.status

  // Until the edge serves the target certificate.
  const probe = watch.probe
  if (probe === undefined) return { ok: true, status, seconds: elapsed(), served }
  let lastProblem = 'no connection was made'
  for (;;) {
    try {
      const seen = await probe()
      served = seen.served
      log(
        `TLS ${mmss(elapsed())}: served serial ${served.serial} (CN ${served.subject}, valid to ${served.validTo})${seen.matches ? ': the new certificate' : ': not the new certificate yet'}`
      )
      if (seen.matches) return { ok: true, status, seconds: elapsed(), served }
      lastProblem = `it still served serial ${served.serial} (CN ${served.subject})`
    } catch (error) {
      lastProblem = `the TLS connection failed (${error instanceof Error ? error.message : String(error)})`
      log(`TLS ${mmss(elapsed())}: ${lastProblem}`)
    }
    if (clock.now() >= deadline)
      return failure(
        'wrong-certificate',
        `Cognito reports the domain ACTIVE on the new certificate, but when wait-timeout-minutes ran out (${elapsed()} s) ${lastProblem}`
      )
    await clock.sleep(Math.min(timing.intervalMs, deadline - clock.now()))
  }
}

/** m:ss since the change. */
function mmss(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`
}

const THROTTLING = new Set(['TooManyRequestsException', 'ThrottlingException'])

/** Faults that pass: a poll is simply tried again later. Anything else ends the wait. */
function passingFault(error: unknown): 'throttled' | 'fault' | undefined {
  if (!(error instanceof CallFailed)) return undefined
  const cause = error.cause as
    { name?: string; $metadata?: { httpStatusCode?: number } } | undefined
  if (THROTTLING.has(cause?.name ?? '')) return 'throttled'
  const status = cause?.$metadata?.httpStatusCode
  if ((status !== undefined && status >= 500) || isNetworkFailure(error.cause)) return 'fault'
  return undefined
}
