/**
 * Following a change (sent, found on the domain, or a rollback) to ACTIVE and to the edge: one poll
 * of DescribeUserPoolDomain per interval, then checks of what the edge serves, within one deadline
 * (wait-timeout-minutes) that the caller starts when the change is sent. Its end ends the poll,
 * check or pause in flight.
 */
import type { DomainDescriptionType } from '@aws-sdk/client-cognito-identity-provider'
import { errorName, transientFault } from '../aws/errors.js'
import type { Served } from '../aws/tls.js'
import { colonHex, serialText } from '../rules/certificate.js'
import { isCancelled, timedOut, within, type Clock } from '../common/time.js'
import type { Settings } from '../inputs/settings.js'
import {
  carriedBy,
  carriedText,
  carries,
  foreignSetting,
  type Carried,
  type Target
} from '../rules/plan.js'
import type { CertificateReader } from './certificates.js'
import { edgeEndpoint, edgeProbe, type EdgeProbe } from './edge.js'
import type { Ports } from './ports.js'
import type { Progress, Rollout } from './progress.js'

/** What one DescribeUserPoolDomain poll saw. */
export interface Observation extends Carried {
  status: string
}

export function observe(description: DomainDescriptionType): Observation {
  return { status: description.Status ?? 'unknown', ...carriedBy(description) }
}

export interface Following {
  /** What the change sets (`to`), and what came before it (`from`). */
  target: Target
  /** One poll: DescribeUserPoolDomain once, within the signal. */
  poll: (signal: AbortSignal) => Promise<DomainDescriptionType>
  /** Reads the served certificate and says whether it is the target; absent: no edge check. */
  probe?: EdgeProbe | undefined
  /** When the deadline began (the change was sent), for the seconds the messages give. */
  startedAt: number
  /** What the deadline counts from, in the messages: "the change was sent". */
  since: string
  intervalMs: number
  /** What the progress lines start with: Rollout, or Rollback. */
  label: string
  /** The certificate the edge should serve, in words: "the new certificate". */
  certificate?: string
  /** The wait's deadline: a TimeUp ends the wait; any other reason (a cancellation) is thrown. */
  signal: AbortSignal
  /** The job's cancellation alone. */
  cancel: AbortSignal
  clock: Clock
  log: (line: string) => void
  /** Told every observation and every certificate the edge served. */
  onPoll?(seen: Observation): void
  onServed?(served: Served): void
}

/** Polling never slows down past this, however often Cognito throttles it. */
const MAX_INTERVAL_MS = 5 * 60_000

/**
 * Polls until the domain is ACTIVE with everything the change sets, then, with a probe, checks the
 * edge until it serves the target. Throttling and passing faults slow the polling down instead of
 * ending it; any other failure of a poll is thrown. Ends when the deadline does, or at once when the
 * domain turns FAILED or carries what neither this change nor the one before it set.
 */
export async function followRollout(following: Following): Promise<Rollout> {
  const { target, clock, log, signal, cancel, label, since } = following
  const certificate = following.certificate ?? 'the new certificate'
  const elapsed = () => Math.round((clock.now() - following.startedAt) / 1000)
  let interval = following.intervalMs
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
  /** The pause before the next poll or check; false when the wait's time is up. */
  const pause = async (ms: number): Promise<boolean> => {
    if (signal.aborted) return stillGoing()
    try {
      await clock.sleep(ms, signal)
      return true
    } catch (error) {
      if (timedOut(signal)) return false
      throw error
    }
  }
  /** The wait's signal ended: its time is up (false), or the job was cancelled (thrown). */
  const stillGoing = (): boolean => {
    cancel.throwIfAborted()
    return false
  }

  // Until Cognito says the domain is ACTIVE with what the change sets.
  for (;;) {
    try {
      last = observe(await following.poll(signal))
      following.onPoll?.(last)
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
      if (signal.aborted && !stillGoing()) return timeUp(stillStatus())
      cancel.throwIfAborted()
      const fault = transientFault(error)
      if (fault === undefined) throw error
      if (fault === 'throttled')
        interval = Math.min(interval * 2, Math.max(MAX_INTERVAL_MS, following.intervalMs))
      log(
        `${label} ${mmss(elapsed())}: ${fault === 'throttled' ? 'Cognito throttled the poll' : 'the poll failed'} (${errorName(error)}); next poll in ${Math.round(interval / 1000)} s`
      )
    }
    if (!(await pause(interval))) return timeUp(stillStatus())
  }
  const status = last.status

  // Until the edge serves the target certificate.
  const probe = following.probe
  if (probe === undefined) return { ok: true, status, seconds: elapsed(), served }
  let lastProblem = 'no connection was made'
  let reached = false
  const wrongCertificate = () =>
    reached
      ? failure(
          'wrong-certificate',
          `Cognito reports the domain ACTIVE on ${certificate}, but when wait-timeout-minutes ran out (${elapsed()} s after ${since}) ${lastProblem}`
        )
      : failure(
          'unreachable',
          `Cognito reports the domain ACTIVE on ${certificate}, but until wait-timeout-minutes ran out (${elapsed()} s after ${since}) no probe reached the edge to see what it serves: ${lastProblem}`
        )
  for (;;) {
    if (signal.aborted && !stillGoing()) return wrongCertificate()
    try {
      const seen = await probe(signal)
      reached = true
      served = seen.served
      following.onServed?.(served)
      log(
        `TLS ${mmss(elapsed())}: served serial ${served.serial} (CN ${served.subject}, valid to ${served.validTo})${seen.matches ? `: ${certificate}` : `: not ${certificate} yet`}`
      )
      if (seen.matches) return { ok: true, status, seconds: elapsed(), served }
      lastProblem = `it still served serial ${served.serial} (CN ${served.subject}, valid to ${served.validTo})`
    } catch (error) {
      if (signal.aborted && !stillGoing()) return wrongCertificate()
      lastProblem = `the TLS connection failed (${error instanceof Error ? error.message : String(error)})`
      log(`TLS ${mmss(elapsed())}: ${lastProblem}`)
    }
    if (!(await pause(following.intervalMs))) return wrongCertificate()
  }
}

/** Where a change to follow stands: sent (or found) at `startedAt`, its deadline already running. */
export interface Waited {
  target: Target
  cloudFrontDomain: string | undefined
  startedAt: number
  /** What the deadline counts from, in the messages. */
  since: string
  /** wait-timeout-minutes from `startedAt`, and the job's cancellation. */
  signal: AbortSignal
  /** The certificate the edge should serve, in words. */
  certificate: string
}

/**
 * Follows a change to ACTIVE and, with verify-tls, to the edge, and records what it saw in the
 * progress. A poll that fails in a way that does not pass (AccessDenied, an ended session) comes
 * back as `ended`.
 */
export async function waitForChange(
  ports: Ports,
  settings: Settings,
  progress: Progress,
  certificates: CertificateReader,
  waited: Waited,
  cancel: AbortSignal
): Promise<{ rollout: Rollout } | { ended: unknown }> {
  const { clock, log } = ports
  const { rollout: timing } = settings
  const { target, certificate } = waited
  // However long sending the change took, the wait gets one attempt's time to read and poll.
  const signal = timedOut(waited.signal)
    ? clock.deadline(cancel, settings.limits.attemptMs, 'wait-timeout-minutes')
    : waited.signal
  progress.stage = 'waiting'
  progress.waitingSince = waited.startedAt
  const recorded = (rollout: Rollout) => {
    progress.rollout = rollout
    if (rollout.ok) log(completeText(rollout))
    return { rollout }
  }
  let probe: EdgeProbe | undefined
  try {
    // Reading the expected serial from ACM counts against the wait, as every call in it does.
    probe = await within(edgeCheck(ports, settings, progress, certificates, waited), signal)
  } catch (error) {
    if (!timedOut(signal)) throw error
    const seconds = Math.round((clock.now() - waited.startedAt) / 1000)
    return recorded({
      ok: false,
      why: 'timeout',
      message: `wait-timeout-minutes ran out (${seconds} s after ${waited.since}) while the serial of ${certificate} was read from ACM, before the domain was polled`,
      status: undefined,
      seconds,
      served: undefined
    })
  }
  log(
    `Waiting up to ${timing.timeoutMs / 60_000} min (from when ${waited.since}) for the domain to be ACTIVE with it${probe === undefined ? '' : ` and for the edge to serve ${certificate}`}, checking every ${timing.intervalMs / 1000} s.`
  )
  try {
    return recorded(
      await followRollout({
        target,
        poll: (polled) => ports.cognito.pollDomain(settings.domain, polled),
        probe,
        startedAt: waited.startedAt,
        since: waited.since,
        intervalMs: timing.intervalMs,
        label: 'Rollout',
        certificate,
        signal,
        cancel,
        clock,
        log,
        onPoll: (seen) => {
          progress.lastStatus = seen.status
          progress.lastSeen = `${seen.status} on ${carriedText(seen, target.to)}`
        },
        onServed: (served) => {
          progress.served = served
        }
      })
    )
  } catch (error) {
    if (isCancelled(error)) throw error
    return { ended: error }
  }
}

/**
 * The check of the edge, or none when verify-tls is off, the change sets no new certificate, or
 * the check can't be made (a warning says why).
 */
async function edgeCheck(
  ports: Ports,
  settings: Settings,
  progress: Progress,
  certificates: CertificateReader,
  waited: Waited
): Promise<EdgeProbe | undefined> {
  const { target } = waited
  const certificateArn = target.to.certificateArn
  if (!settings.rollout.verifyTls || certificateArn === undefined) return undefined
  if (target.from.certificateArn === certificateArn) return undefined
  const endpoint = edgeEndpoint(settings.rollout.tlsEndpoint, waited.cloudFrontDomain)
  if (endpoint === undefined) {
    progress.warn(
      'Cognito reported no CloudFront domain, so the served certificate is not checked. Give tls-endpoint to check it.',
      'TLS check skipped'
    )
    return undefined
  }
  // Read once: by the pre-flight, or now.
  const reading = await certificates.read(certificateArn)
  const described = reading.state === 'read' ? reading.certificate : undefined
  const serial = described?.Serial
  if (serial === undefined || serial === '') {
    progress.warn(
      `The served certificate is not checked: its serial could not be read from ACM. ${reading.state === 'read' ? 'ACM gave no serial.' : reading.why}`,
      'TLS check skipped'
    )
    return undefined
  }
  ports.log(
    `ACM gives the serial of ${waited.certificate} as ${serialText(serial)}; checking what ${endpoint.host}:${endpoint.port} serves with SNI ${settings.domain}.`
  )
  return edgeProbe(
    {
      edge: ports.edge,
      clock: ports.clock,
      endpoint,
      domain: settings.domain,
      attemptMs: settings.limits.attemptMs
    },
    { Serial: serial, NotAfter: described?.NotAfter }
  )
}

/** The line that says a rollout succeeded. */
export function completeText(rollout: Extract<Rollout, { ok: true }>): string {
  return `Rollout complete after ${rollout.seconds} s: the domain is ${rollout.status}${rollout.served === undefined ? '' : ` and the edge serves serial ${colonHex(rollout.served.serial)}`}.`
}

/** m:ss since the change. */
function mmss(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`
}
