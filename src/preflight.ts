import type { CertificateDetail } from '@aws-sdk/client-acm'
import { connectAcm, type Acm } from './acm.js'
import { CallFailed, type RetryListener } from './aws-calls.js'
import { factsOf, judgeCertificate, type Verdict } from './certificate-rules.js'
import type { Settings } from './inputs.js'
import { errorName, explainFailure } from './service-errors.js'

/** What the certificate checks came to. */
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
      notes: string[]
      facts?: string
      /** ACM's description of the new certificate, when it has one. */
      certificate?: CertificateDetail
    }

/**
 * The pre-flight: describes the new certificate (and the one it replaces) in ACM and judges it,
 * before any change. ACM is asked in the certificate's own region, which in the aws partition is
 * always us-east-1, whatever the pool's region.
 */
export async function checkNewCertificate(
  settings: Settings,
  change: { to: string; from: string | undefined },
  onRetry: RetryListener,
  signal: AbortSignal,
  now: Date = new Date()
): Promise<Checks> {
  if (!settings.verifyCertificate) return { state: 'off' }
  const acm = await connectAcm(change.to, settings.limits, onRetry)
  const notes: string[] = []
  // Both certificates are described at once. When the new one's answer ends the checks, the other
  // answer is not needed, and a failure it might bring is not a failure of the run.
  const replacing =
    change.from === undefined
      ? Promise.resolve(undefined)
      : describeReplaced(acm, change.from, notes, signal)
  replacing.catch(() => undefined)
  let certificate: CertificateDetail
  try {
    certificate = await acm.describeCertificate(change.to, signal)
  } catch (error) {
    const answer = answerAbout(error, settings)
    if (answer === undefined) throw error
    return answer
  }
  const replaced = await replacing
  const verdict = judgeCertificate(certificate, {
    domain: settings.domain,
    now,
    minDaysRemaining: settings.minDaysRemaining,
    replaced
  })
  return {
    state: 'judged',
    verdict,
    notes,
    facts: factsOf(certificate, settings.domain, now),
    certificate
  }
}

/** The certificate being replaced, for comparing expiry dates; never a reason to stop. */
async function describeReplaced(
  acm: Acm,
  arn: string,
  notes: string[],
  signal: AbortSignal
): Promise<CertificateDetail | undefined> {
  try {
    return await acm.describeCertificate(arn, signal)
  } catch (error) {
    if (!(error instanceof CallFailed)) throw error
    notes.push(
      `Could not describe the certificate being replaced (${errorName(error.cause)}), so the expiry dates are not compared.`
    )
    return undefined
  }
}

const DENIED = new Set(['AccessDeniedException', 'NotAuthorizedException'])
const MISSING = new Set(['ResourceNotFoundException', 'InvalidArnException'])

/** An ACM answer that says something about the certificate rather than about ACM. */
function answerAbout(error: unknown, settings: Settings): Checks | undefined {
  if (!(error instanceof CallFailed)) return undefined
  const name = error.cause instanceof Error ? error.cause.name : ''
  if (DENIED.has(name))
    return {
      state: 'skipped',
      why: `${explainFailure(error, settings)} Without it the checks are skipped and the change goes ahead; verify-certificate: false turns them off without this warning.`
    }
  if (MISSING.has(name))
    return {
      state: 'judged',
      verdict: {
        refusals: [{ title: 'Certificate not found', message: explainFailure(error, settings) }],
        warnings: []
      },
      notes: []
    }
  return undefined
}
