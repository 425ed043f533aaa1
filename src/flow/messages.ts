/**
 * The few words a run uses for what it saw and did: the domain as found, a certificate with its
 * days left, the checks, the rollout, and how to undo a change. The stages put them in log lines and
 * messages; report/ puts them in the job summary.
 */
import { failureMessage } from '../aws/explain.js'
import type { Settings } from '../inputs/settings.js'
import { when } from '../rules/certificate.js'
import {
  carriedText,
  changesText,
  type Carried,
  type Change,
  type Current,
  type Plan
} from '../rules/plan.js'
import type { Checks, InUse, Rollout } from './progress.js'

type Update = Extract<Plan, { action: 'update' }>

/** The domain as found: "certificate arn… (status ACTIVE, CloudFront d….cloudfront.net, …)". */
export function currentText(current: Current): string {
  const parts = [
    `status ${current.status}`,
    `CloudFront ${current.cloudFrontDomain ?? 'not reported'}`,
    current.securityPolicy === undefined ? undefined : `security policy ${current.securityPolicy}`,
    current.managedLoginVersion === undefined
      ? undefined
      : `managed login version ${current.managedLoginVersion}`
  ].filter((part) => part !== undefined)
  const certificate =
    current.certificateArn === undefined
      ? 'no certificate (a prefix domain)'
      : `certificate ${current.certificateArn}`
  return `${certificate} (${parts.join(', ')})`
}

/** The changes, and what the request sends again unchanged. */
export function updateText(plan: Update): string {
  const changed = new Set(plan.changes.map((change) => change.input))
  const { request } = plan
  const kept = [
    !changed.has('certificate-arn') && request.CustomDomainConfig?.CertificateArn !== undefined
      ? `certificate ${request.CustomDomainConfig.CertificateArn}`
      : undefined,
    !changed.has('security-policy') && request.CustomDomainConfig?.SecurityPolicy !== undefined
      ? `security policy ${request.CustomDomainConfig.SecurityPolicy}`
      : undefined,
    !changed.has('managed-login-version') && request.ManagedLoginVersion !== undefined
      ? `managed login version ${request.ManagedLoginVersion}`
      : undefined
  ].filter((part) => part !== undefined)
  const carried = kept.length === 0 ? '' : ` (carried over: ${kept.join(', ')})`
  return `${changesText(plan.changes)}${carried}`
}

/** An ARN with its status and days left: "arn… (ISSUED, valid until …, 200 days left)". */
export function certificateText(
  arn: string,
  certificate: { Status?: string | undefined; NotAfter?: Date | undefined } | undefined,
  days: number | undefined
): string {
  if (certificate === undefined) return arn
  const parts = [
    certificate.Status,
    certificate.NotAfter === undefined ? undefined : `valid until ${when(certificate.NotAfter)}`,
    days === undefined
      ? undefined
      : days < 0
        ? 'expired'
        : `${days} day${days === 1 ? '' : 's'} left`
  ].filter((part) => part !== undefined)
  return `${arn} (${parts.join(', ')})`
}

/** The certificate in use in a few words. */
export function inUseText(
  inUse: InUse | undefined,
  current: Current | undefined
): string | undefined {
  if (inUse?.state === 'judged') return certificateText(inUse.arn, inUse.certificate, inUse.days)
  return current?.certificateArn
}

/** The certificate checks in a few words. */
export function checksText(checks: Checks | undefined, later: { title: string }[] = []): string {
  if (checks === undefined) return 'Not run: no change to make'
  if (checks.state === 'unchanged') return 'Not run: the certificate does not change'
  if (checks.state === 'off') return 'Off (verify-certificate: false)'
  if (checks.state === 'skipped') return 'Skipped: the job may not call acm:DescribeCertificate'
  if (checks.state === 'unread') return 'Not run: ACM did not describe the certificate'
  const titles = (findings: { title: string }[]) => findings.map((f) => f.title).join('; ')
  const { refusals } = checks.verdict
  const warnings = [...checks.verdict.warnings, ...later]
  if (refusals.length > 0) return `Refused: ${titles(refusals)}`
  return warnings.length === 0 ? 'Passed' : `Passed with warnings: ${titles(warnings)}`
}

export function rolloutText(rollout: Rollout): string {
  const served = rollout.served === undefined ? '' : `, edge serves serial ${rollout.served.serial}`
  return rollout.ok
    ? `${rollout.status} after ${rollout.seconds} s${served}`
    : `${rollout.why} after ${rollout.seconds} s (status ${rollout.status ?? 'unknown'}${served})`
}

/** How to undo the changes with this action: each changed input, set to what the domain had. */
export function rollbackHint(changes: Change[]): string {
  const back = changes.filter((change) => change.from !== undefined)
  const lost = changes.filter((change) => change.from === undefined)
  const inputs = back.map((change) => `${change.input}: ${change.from ?? ''}`).join(' and ')
  const hint = back.length === 0 ? '' : `To roll back, run this action again with ${inputs}`
  const unknown =
    lost.length === 0
      ? ''
      : `${hint === '' ? '' : '. '}The domain reported no ${lost.map((change) => change.what).join(' or ')} before this change, so this action can't set ${lost.length === 1 ? 'it' : 'them'} back; look at the domain in the Cognito console`
  return `${hint}${unknown}`
}

/**
 * How to undo the changes once retire-replaced deleted the certificate they replaced: that one
 * can come back only by importing its PEM again; the other changes as rollbackHint says.
 */
export function retiredHint(changes: Change[], retired: string): string {
  const others = rollbackHint(changes.filter((change) => change.input !== 'certificate-arn'))
  return `${retired}, which this change replaced, was deleted from ACM (retire-replaced): to go back to it, run this action again with its PEM as certificate-pem and private-key-pem.${others === '' ? '' : ` ${others}.`}`
}

/** The rollback hint with the workflow step to paste, for a failure after a change. */
export function rollbackStep(
  settings: Pick<Settings, 'domain' | 'pool'>,
  changes: Change[]
): string {
  const repository = process.env.GITHUB_ACTION_REPOSITORY
  const ref = process.env.GITHUB_ACTION_REF
  const uses =
    repository !== undefined && repository !== ''
      ? `${repository}@${ref !== undefined && ref !== '' ? ref : '<ref>'}`
      : '<this action>@<ref>'
  const back = changes.filter((change) => change.from !== undefined)
  if (back.length === 0) return `${rollbackHint(changes)}.`
  return [
    `${rollbackHint(changes)}, for example with this step:`,
    `- uses: ${uses}`,
    '  with:',
    `    domain: ${settings.domain}`,
    `    user-pool-id: ${settings.pool.id}`,
    ...back.map((change) => `    ${change.input}: ${change.from ?? ''}`)
  ].join('\n')
}

/**
 * The role session of the job's credentials ended (ExpiredToken) after the change was sent: what
 * the domain was changed to, why, and how to finish.
 */
export function sessionEndedMessage(
  settings: Settings,
  to: Carried,
  error: unknown,
  when: string
): string {
  const minutes = settings.rollout.timeoutMs / 60_000
  const withRollback = settings.rollout.rollbackOnFailure ? 2 * minutes : minutes
  return `The AWS role session of this job ended ${when} (${failureMessage(error, settings)}). The domain was changed to ${carriedText(to, to)}; Cognito goes on distributing that change without this job. The session must outlast wait-timeout-minutes (${minutes} min${settings.rollout.rollbackOnFailure ? `, and as much again for a rollback: ${withRollback} min` : ''}): with aws-actions/configure-aws-credentials set role-duration-seconds (one hour by default for OIDC) to at least ${Math.ceil(withRollback * 60 + 600)}, and the role's maximum session duration (IAM) to no less. To finish, run this action again with the same inputs: it sends nothing again, since the domain already carries the change, and the wait resumes.`
}
