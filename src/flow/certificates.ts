import type { CertificateDetail, CertificateSummary } from '@aws-sdk/client-acm'
import { connectAcm, regionOf, type Acm } from '../aws/acm.js'
import { CallFailed, type RetryListener } from '../aws/calls.js'
import {
  daysLeft,
  factsOf,
  judgeCertificate,
  judgeInUse,
  type Verdict
} from '../rules/certificate.js'
import { CLOUDFRONT_CERT_REGION } from '../inputs/identifiers.js'
import type { Settings } from '../inputs/settings.js'
import { explainFailure } from '../aws/errors.js'

/**
 * Certificates as ACM describes them: the one asked for (the pre-flight), the one the domain
 * serves now (on every run), and for certificate-arn: newest the account's candidates. Each is
 * read once per run, however many judgements need it, and a read is started as soon as its ARN is
 * known, so that it overlaps the calls that do not depend on it.
 */

/** A certificate read from ACM, or why it could not be. */
export type Reading =
  | { arn: string; state: 'read'; certificate: CertificateDetail }
  /** ACM refused the job (AccessDenied): the checks are skipped with a warning. */
  | { arn: string; state: 'denied'; why: string }
  /** ACM has no such certificate in this account. */
  | { arn: string; state: 'missing'; why: string }
  /** Anything else, after the retries. */
  | { arn: string; state: 'failed'; error: CallFailed; why: string }

export interface CertificateReader {
  /** The certificate, read once; rejects only when the run's stage ends (a cancelled job). */
  read(arn: string): Promise<Reading>
  /** The account's ISSUED certificates in ACM where the domain's certificates live. */
  listIssued(): Promise<CertificateSummary[]>
}

const DENIED = new Set(['AccessDeniedException', 'NotAuthorizedException'])
const MISSING = new Set(['ResourceNotFoundException', 'InvalidArnException'])

/** Where certificate-arn: newest looks: us-east-1 in the aws partition, else the pool's region. */
export function newestRegion(settings: Settings): string {
  return settings.pool.region.partition === 'aws'
    ? CLOUDFRONT_CERT_REGION
    : settings.pool.region.name
}

export function certificateReader(
  settings: Settings,
  signal: AbortSignal,
  onRetry: RetryListener
): CertificateReader {
  const clients = new Map<string, Promise<Acm>>()
  const readings = new Map<string, Promise<Reading>>()
  const clientFor = (region: string): Promise<Acm> => {
    let client = clients.get(region)
    if (client === undefined) {
      client = connectAcm(region, settings.limits, onRetry)
      clients.set(region, client)
    }
    return client
  }
  return {
    read: (arn) => {
      let reading = readings.get(arn)
      if (reading === undefined) {
        reading = readNow(arn)
        // Read early, perhaps never awaited (the run may end before it needs the answer).
        reading.catch(() => undefined)
        readings.set(arn, reading)
      }
      return reading
    },
    listIssued: async () => (await clientFor(newestRegion(settings))).listIssuedCertificates(signal)
  }

  async function readNow(arn: string): Promise<Reading> {
    try {
      const acm = await clientFor(regionOf(arn))
      return { arn, state: 'read', certificate: await acm.describeCertificate(arn, signal) }
    } catch (error) {
      if (!(error instanceof CallFailed)) throw error
      const name = error.cause instanceof Error ? error.cause.name : ''
      const why = explainFailure(error, settings)
      if (DENIED.has(name)) return { arn, state: 'denied', why }
      if (MISSING.has(name)) return { arn, state: 'missing', why }
      return { arn, state: 'failed', error, why }
    }
  }
}

/** What the pre-flight of the new certificate came to. */
export type Checks =
  /** The change leaves the certificate as it is (a security policy or managed login change). */
  | { state: 'unchanged' }
  /** verify-certificate: false. */
  | { state: 'off' }
  /** ACM would not let the job read the certificate; the change goes ahead unchecked. */
  | { state: 'skipped'; why: string }
  | {
      state: 'judged'
      verdict: Verdict
      facts?: string
      /** ACM's description of the new certificate, when it has one. */
      certificate?: CertificateDetail
    }

/**
 * The pre-flight: the new certificate judged the way CloudFront and browsers will, before any
 * change. A failure to read it other than a refusal or a missing certificate stops the run.
 */
export function preflight(reading: Reading | undefined, settings: Settings, now: Date): Checks {
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
      throw reading.error
    case 'read': {
      const { certificate } = reading
      const expected = {
        domain: settings.domain,
        now,
        minDaysRemaining: settings.minDaysRemaining
      }
      return {
        state: 'judged',
        verdict: judgeCertificate(certificate, expected),
        facts: factsOf(certificate, settings.domain, now),
        certificate
      }
    }
  }
}

/** What the certificate the domain serves now came to. */
export type InUse =
  /** Not looked at: verify-certificate: false, or a prefix domain (Amazon's certificate). */
  | { state: 'off' }
  /** It could not be read (a warning, as the pre-flight's). */
  | { state: 'unread'; arn: string; why: string }
  | {
      state: 'judged'
      arn: string
      certificate: CertificateDetail
      verdict: Verdict
      facts: string
      days: number | undefined
    }

export function inUse(reading: Reading | undefined, settings: Settings, now: Date): InUse {
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
    verdict: judgeInUse(certificate, {
      domain: settings.domain,
      now,
      minDaysRemaining: settings.minDaysRemaining
    }),
    facts: factsOf(certificate, settings.domain, now),
    days: daysLeft(certificate, now)
  }
}
