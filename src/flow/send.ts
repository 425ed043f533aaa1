/**
 * Sending UpdateUserPoolDomain, forward or back, the one way: one attempt at a time, and never again
 * on what was seen before a pause. After an attempt fails with a fault that passes (throttling, a
 * 5xx, a connection, a deadline), the run pauses, describes the domain, and sends again at once
 * only when the domain still carries what it had, with a request made from that fresh look. An
 * attempt whose outcome is uncertain (its answer was lost, or what answered was not AWS) is looked
 * up before anything is said of it: the change may be on the domain.
 */
import type { UpdateUserPoolDomainRequest } from '@aws-sdk/client-cognito-identity-provider'
import { CallFailed, errorName, transientFault } from '../aws/errors.js'
import { failureMessage, type ExplainContext, type Tried } from '../aws/explain.js'
import type { Target } from '../rules/plan.js'
import { lookAt, type Look } from './look.js'
import type { Ports } from './ports.js'

/** The longest pause between two attempts. */
export const MAX_PAUSE_MS = 20_000

/** The pause before attempt `attempt + 1`: 1 s, 2 s, 4 s … up to 20 s. */
export function pauseAfter(attempt: number): number {
  return Math.min(MAX_PAUSE_MS, 1_000 * 2 ** (attempt - 1))
}

export interface Sending {
  /** In the log lines: UpdateUserPoolDomain, or the rollback's. */
  label: string
  /** What the update sets (`to`), and what the domain carried before it (`from`). */
  target: Target
  /** The first request, made from the look the run made right before. */
  first: UpdateUserPoolDomainRequest
  /**
   * The request for another attempt, made from a fresh look that found the domain still carrying
   * what it had; or why no other attempt is made (the domain changed in another way meanwhile).
   */
  again(
    look: Extract<Look, { state: 'not applied' }>
  ): UpdateUserPoolDomainRequest | { stop: string }
  maxAttempts: number
}

/** The last failure of an update that did not go through, and how often it was tried. */
interface Failed {
  error: unknown
  tried: Tried
  /** A look before the next attempt stopped it, rather than the run giving up on the failure. */
  midway?: true
}

export type Sent =
  /** On the domain: Cognito accepted it, or a look found it there after a lost answer. */
  | { state: 'applied'; cloudFrontDomain: string | undefined; lost?: Failed & { look: Look } }
  /** Every attempt was refused by AWS itself, throttled or never sent: nothing was changed. */
  | (Failed & { state: 'refused' })
  /** Some attempt's outcome is uncertain, and a look after the last found the domain as it was. */
  | (Failed & { state: 'not applied'; look: Extract<Look, { state: 'not applied' }> })
  /** A look found something neither this update nor what came before it set. */
  | (Failed & { state: 'other'; look: Extract<Look, { state: 'other' }> })
  /** Some attempt's outcome is uncertain, and the domain could not be described. */
  | (Failed & { state: 'unknown'; why: string })
  /** Another attempt was due, but the domain had changed in another way: nothing more was sent. */
  | (Failed & { state: 'stopped'; why: string; look: Look })

/**
 * Sends the update within `signal` (the stage's: the job's cancellation, a rollback's deadline):
 * its end ends the attempt, pause or look in flight, and is thrown.
 */
export async function sendUpdate(
  ports: Pick<Ports, 'cognito' | 'clock' | 'log'>,
  context: ExplainContext,
  sending: Sending,
  signal: AbortSignal
): Promise<Sent> {
  const { cognito, clock, log } = ports
  const look = () => lookAt(cognito, context, sending.target, signal)
  let request = sending.first
  let uncertain = false
  let pausedMs = 0
  for (let attempt = 1; ; attempt++) {
    try {
      const answer = await cognito.updateDomain(request, signal)
      return { state: 'applied', cloudFrontDomain: answer.cloudFrontDomain }
    } catch (error) {
      if (signal.aborted) throw signal.reason
      if (!(error instanceof CallFailed)) throw error
      uncertain ||= error.uncertain
      const failed = { error, tried: { attempts: attempt, pausedMs } }
      const passing = transientFault(error) !== undefined
      if (!passing || attempt >= sending.maxAttempts) {
        if (!uncertain) return { state: 'refused', ...failed }
        log(
          `${sending.label} failed after an attempt whose answer was lost; describing ${context.domain} to see whether the change is on it.`
        )
        return afterLook(await look(), failed)
      }
      const pause = pauseAfter(attempt)
      log(
        `${sending.label}: attempt ${attempt} of ${sending.maxAttempts} failed (${errorName(error)}); attempt ${attempt + 1} in ${pause / 1000} s, if the domain still carries what it had`
      )
      await clock.sleep(pause, signal)
      pausedMs += pause
      const fresh = await look()
      const stopped = { ...failed, midway: true } as const
      if (fresh.state === 'unknown' && !uncertain) return { state: 'refused', ...failed }
      if (fresh.state !== 'not applied') return afterLook(fresh, stopped)
      const next = sending.again(fresh)
      if ('stop' in next) return { state: 'stopped', ...stopped, why: next.stop, look: fresh }
      request = next
    }
  }
}

function afterLook(look: Look, failed: Failed): Sent {
  switch (look.state) {
    case 'applied':
      return {
        state: 'applied',
        cloudFrontDomain: look.seen.cloudFrontDomain,
        lost: { ...failed, look }
      }
    case 'unknown':
      return { state: 'unknown', ...failed, why: look.why }
    case 'not applied':
      return { state: 'not applied', ...failed, look }
    case 'other':
      return { state: 'other', ...failed, look }
  }
}

/**
 * Why the update did not go through, as far as its last failure tells: the whole explanation when
 * the run gave up on it, or which attempt failed when a look before the next one stopped it.
 */
export function failureText(
  sent: Exclude<Sent, { state: 'applied' }>,
  context: ExplainContext,
  label: string
): string {
  if (sent.midway !== true) return failureMessage(sent.error, context, sent.tried)
  return `${label} attempt ${sent.tried.attempts} failed (${errorName(sent.error)}), and the domain was described before another.`
}
