/**
 * Certificates as ACM describes them, and what the run makes of them: the one asked for (the
 * pre-flight), the one the domain serves now (judged on every run), a rollback's target (judged by
 * the same rules as the pre-flight, read again right before), and for certificate-arn: newest the
 * account's candidates. Each is read once per run unless it must be read fresh, and a read is
 * started as soon as its ARN is known, so that it overlaps the calls that do not depend on it.
 */
import type { CertificateDetail, CertificateSummary } from '@aws-sdk/client-acm'
import { CallFailed, isDenied, isMissing } from '../aws/errors.js'
import { failureMessage, type ExplainContext } from '../aws/explain.js'
import {
  daysLeft,
  factsOf,
  judgeCertificate,
  judgeInUse,
  rolloutWindow,
  type Reading
} from '../rules/certificate.js'
import type { Settings } from '../inputs/settings.js'
import type { AcmPort } from './ports.js'
import type { Checks, InUse, Progress, RunResult } from './progress.js'

export interface CertificateReader {
  /** The certificate, read once per run; rejects only when `signal` ends (a cancelled job). */
  read(arn: string): Promise<Reading>
  /** The certificate read again now, within `signal` (a stage's own). */
  readFresh(arn: string, signal: AbortSignal): Promise<Reading>
  /** The account's ISSUED certificates in ACM where the domain's certificates live. */
  listIssued(): Promise<CertificateSummary[]>
  /** What a read of `arn` will give, known already (a certificate this run checked as PEM). */
  know(arn: string, certificate: CertificateDetail): void
}

/**
 * What the judgements name: the domain, how many days a certificate should have left, and how long
 * one sent now must stay valid.
 */
export interface Expected {
  domain: string
  minDaysRemaining: number
  rolloutMs: number
}

/** The expectations of a run's settings. */
export function expectedOf(settings: Settings): Expected {
  return {
    domain: settings.domain,
    minDaysRemaining: settings.minDaysRemaining,
    rolloutMs: rolloutWindow(settings.rollout.timeoutMs)
  }
}

export function certificateReader(
  acm: AcmPort,
  context: ExplainContext,
  signal: AbortSignal
): CertificateReader {
  const readings = new Map<string, Promise<Reading>>()
  const readNow = async (arn: string, stage: AbortSignal): Promise<Reading> => {
    try {
      return { arn, state: 'read', certificate: await acm.describeCertificate(arn, stage) }
    } catch (error) {
      if (!(error instanceof CallFailed)) throw error
      const why = failureMessage(error, context)
      if (isDenied(error)) return { arn, state: 'denied', why }
      if (isMissing(error)) return { arn, state: 'missing', why }
      return { arn, state: 'failed', error, why }
    }
  }
  return {
    read: (arn) => {
      let reading = readings.get(arn)
      if (reading === undefined) {
        reading = readNow(arn, signal)
        // Read early, perhaps never awaited (the run may end before it needs the answer).
        reading.catch(() => undefined)
        readings.set(arn, reading)
      }
      return reading
    },
    readFresh: (arn, stage) => readNow(arn, stage),
    know: (arn, certificate) => {
      readings.set(arn, Promise.resolve({ arn, state: 'read', certificate }))
    },
    listIssued: () => acm.listIssued(signal)
  }
}

/**
 * A certificate the run would put on the domain, judged the way CloudFront and browsers will:
 * the pre-flight of a forward change, and the check of a rollback's target, by the same rules.
 * A certificate that could not be read, other than for a refusal (the job may not read it) or a
 * missing one, can't be judged: it is `unread`, and is not sent.
 */
export function judgeTarget(reading: Reading | undefined, expected: Expected, now: Date): Checks {
  if (reading === undefined) return { state: 'off' }
  switch (reading.state) {
    case 'denied':
      return {
        state: 'skipped',
        why: `${reading.why} Without it the checks are skipped and the change goes ahead; verify-certificate: false turns them off without this warning.`
      }
    case 'missing':
      return {
        state: 'judged',
        verdict: {
          refusals: [{ title: 'Certificate not found', message: reading.why }],
          warnings: []
        }
      }
    case 'failed':
      return { state: 'unread', why: reading.why, error: reading.error }
    case 'read': {
      const { certificate } = reading
      return {
        state: 'judged',
        verdict: judgeCertificate(certificate, { ...expected, now }),
        facts: factsOf(certificate, expected.domain, now),
        certificate
      }
    }
  }
}

/** Whether the checks let the certificate be sent: nothing refused it, and it was not unread. */
export function mayBeSent(checks: Checks): boolean {
  if (checks.state === 'unread') return false
  return checks.state !== 'judged' || checks.verdict.refusals.length === 0
}

/** Whole days left on a judged certificate, when ACM gave its NotAfter. */
export function checkedDays(checks: Checks | undefined, now: Date): number | undefined {
  return checks?.state === 'judged' && checks.certificate !== undefined
    ? daysLeft(checks.certificate, now)
    : undefined
}

export function judgeCurrent(reading: Reading | undefined, expected: Expected, now: Date): InUse {
  if (reading === undefined) return { state: 'off' }
  if (reading.state !== 'read') {
    const why =
      reading.state === 'denied'
        ? `${reading.why} Without it the certificate in use is not checked.`
        : reading.why
    return { state: 'unread', arn: reading.arn, why }
  }
  const { certificate } = reading
  return {
    state: 'judged',
    arn: reading.arn,
    certificate,
    verdict: judgeInUse(certificate, { ...expected, now }),
    facts: factsOf(certificate, expected.domain, now),
    days: daysLeft(certificate, now)
  }
}

/** Whole days left on the certificate in use, when it was read. */
export function inUseDays(inUse: InUse | undefined): number | undefined {
  return inUse?.state === 'judged' ? inUse.days : undefined
}

/**
 * Records what the certificate the domain serves now came to: its warnings, and its refusals as
 * errors unless this run replaces it (then they are said, and the run goes on).
 */
export function noteInUse(
  progress: Progress,
  log: (line: string) => void,
  inUse: InUse,
  replacing: boolean
): void {
  progress.inUse = inUse
  if (inUse.state === 'off') return
  if (inUse.state === 'unread') {
    progress.warn(inUse.why, 'Certificate in use not checked')
    return
  }
  // Told after the change: the certificate the domain carried until then.
  log(`${replacing ? 'Certificate replaced' : 'Certificate in use'}: ${inUse.facts}`)
  for (const warning of inUse.verdict.warnings) progress.warn(warning.message, warning.title)
  for (const refusal of inUse.verdict.refusals) {
    if (replacing) log(`${refusal.message} This run replaces it.`)
    else progress.error(refusal.message, refusal.title)
  }
}

/** Records what the checks of the new certificate found: warnings and refusals. */
export function noteChecks(progress: Progress, log: (line: string) => void, checks: Checks): void {
  progress.checks = checks
  switch (checks.state) {
    case 'unchanged':
      log('Certificate checks: not run, the certificate does not change.')
      return
    case 'off':
      log('Certificate checks: off (verify-certificate: false).')
      return
    case 'skipped':
      progress.warn(checks.why, 'Certificate checks skipped')
      return
    case 'unread':
      return
    case 'judged': {
      const { verdict, facts } = checks
      if (facts !== undefined) log(`New certificate: ${facts}`)
      for (const warning of verdict.warnings) progress.warn(warning.message, warning.title)
      for (const refusal of verdict.refusals)
        progress.error(refusal.message, `Certificate refused: ${refusal.title}`)
      if (verdict.refusals.length === 0)
        log(
          `Certificate checks passed${verdict.warnings.length === 0 ? '' : `, with ${verdict.warnings.length} warning(s)`}.`
        )
    }
  }
}

/**
 * The result with the certificate in use: its refusals (expired, not ISSUED) become the run's
 * failure unless the run replaces it.
 */
export function withInUse(result: RunResult, inUse: InUse, replacing: boolean): RunResult {
  const refusals = inUse.state === 'judged' && !replacing ? inUse.verdict.refusals : []
  if (refusals.length === 0) return result
  const said = refusals.map((refusal) => refusal.message).join(' ')
  return {
    ...result,
    result: result.failure === undefined ? `Failed: ${refusals[0]?.title ?? ''}` : result.result,
    failure: result.failure === undefined ? said : `${result.failure} ${said}`
  }
}
