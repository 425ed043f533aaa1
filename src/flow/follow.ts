/**
 * Following a change after it was sent (or found on the domain): polls to ACTIVE and probes of the
 * edge within wait-timeout-minutes, and what is said about the rollout.
 */
import type { DomainDescriptionType } from '@aws-sdk/client-cognito-identity-provider'
import type { Cancellation } from '../report/cancellation.js'
import type { CertificateReader } from './certificates.js'
import { connectCognito } from '../aws/cognito.js'
import { edgeEndpoint, edgeProbe, type EdgeProbe } from './edge.js'
import type { Settings } from '../inputs/settings.js'
import { setOutput } from '../report/outputs.js'
import { carriedBy, carriedText, type Target } from '../rules/plan.js'
import { annotateWarning, logLine, type Outcome } from '../report/report.js'
import { followRollout, realClock, type Observation, type Rollout } from './wait.js'
import { failureMessage } from '../aws/errors.js'
import { isCancelled, TimeUp, withDeadline, within } from './time.js'
import { colonHex } from '../aws/tls.js'

/**
 * Follows a change (sent at `sentAt`, or found on the domain) to ACTIVE and, with verify-tls, to
 * the edge, within wait-timeout-minutes from `sentAt`: a hard deadline that ends the poll, probe or
 * sleep in flight. A failure of a poll that does not pass (AccessDenied, an ended session) comes
 * back as `ended`.
 */
export async function waitForChange(
  settings: Settings,
  target: Target,
  cloudFrontDomain: string | undefined,
  certificates: CertificateReader,
  context: {
    sentAt: number
    /** What the deadline counts from, in the messages. */
    since: string
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
  // At least one poll, however long sending the change took; at most one attempt past the deadline.
  const waiting = withDeadline(
    cancellation.signal,
    Math.max(timing.timeoutMs - (Date.now() - sentAt), settings.limits.attemptMs),
    'wait-timeout-minutes'
  )
  let probe: EdgeProbe | undefined
  try {
    // Reading the expected serial from ACM counts against the wait, as every call in it does.
    probe = await within(tlsProbe(settings, target, cloudFrontDomain, certificates), waiting)
  } catch (error) {
    if (!(waiting.reason instanceof TimeUp)) throw error
    const seconds = Math.round((Date.now() - sentAt) / 1000)
    const rollout: Rollout = {
      ok: false,
      why: 'timeout',
      message: `wait-timeout-minutes ran out (${seconds} s after ${context.since}) while the new certificate's serial was read from ACM, before the domain was polled`,
      status: undefined,
      seconds,
      served: undefined
    }
    reportRollout(rollout)
    return { rollout }
  }
  // Polls make one call each, without the SDK's retries: at most one call per interval.
  const poller = await connectCognito(
    settings.pool,
    { maxAttempts: 1, attemptMs: settings.limits.attemptMs },
    logLine
  )
  logLine(
    `Waiting up to ${timing.timeoutMs / 60_000} min (from when ${context.since}) for the domain to be ACTIVE with it${probe === undefined ? '' : ' and for the edge to serve the new certificate'}, checking every ${timing.intervalMs / 1000} s.`
  )
  try {
    const rollout = await followRollout(
      target,
      {
        timeoutMs: timing.timeoutMs,
        intervalMs: timing.intervalMs,
        startedAt: sentAt,
        since: context.since
      },
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
    annotateWarning(
      'Cognito reported no CloudFront domain, so the served certificate is not checked. Give tls-endpoint to check it.',
      'TLS check skipped'
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
  annotateWarning(
    `The served certificate is not checked: its serial could not be read from ACM. ${reading.state === 'read' ? 'ACM gave no serial.' : reading.why}`,
    'TLS check skipped'
  )
  return undefined
}

/**
 * The role session of the job's credentials ended (ExpiredToken) after the change was sent: what
 * the domain was changed to, why, and how to finish.
 */
export function sessionEndedMessage(
  settings: Settings,
  target: Target,
  error: unknown,
  when: string
): string {
  const minutes = settings.rollout.timeoutMs / 60_000
  const withRollback = settings.rollout.rollbackOnFailure ? 2 * minutes : minutes
  return `The AWS role session of this job ended ${when} (${failureMessage(error, settings)}). The domain was changed to ${carriedText(target.to, target.to)}; Cognito goes on distributing that change without this job. The session must outlast wait-timeout-minutes (${minutes} min${settings.rollout.rollbackOnFailure ? `, and as much again for a rollback: ${withRollback} min` : ''}): with aws-actions/configure-aws-credentials set role-duration-seconds (one hour by default for OIDC) to at least ${Math.ceil(withRollback * 60 + 600)}, and the role's maximum session duration (IAM) to no less. To finish, run this action again with the same inputs: it sends nothing again, since the domain already carries the change, and the wait resumes.`
}

export function observe(description: DomainDescriptionType): Observation {
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

export function rolloutText(rollout: Rollout): string {
  const served = rollout.served === undefined ? '' : `, edge serves serial ${rollout.served.serial}`
  return rollout.ok
    ? `${rollout.status} after ${rollout.seconds} s${served}`
    : `${rollout.why} after ${rollout.seconds} s (status ${rollout.status ?? 'unknown'}${served})`
}
