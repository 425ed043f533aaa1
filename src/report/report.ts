import * as core from '@actions/core'
import { redactCredentials } from '../aws/secrets.js'
import { escapeHtml, oneLine, shown } from '../text/display.js'
import { setOutput } from './outputs.js'
import type { Settings } from '../inputs/settings.js'
import { changesText, type Change, type Current, type Plan } from '../rules/plan.js'
import type { Checks, InUse } from '../flow/certificates.js'
import { when } from '../rules/certificate.js'
import type { Problem } from '../inputs/problem.js'

/** The outcome of a run, as the job summary shows it. */
export interface Outcome {
  result: string
  /** The domain already had what was asked for, so nothing was sent. */
  unchanged?: true
  /** The release tag, when a release started the run. */
  release?: string | undefined
  settings?: Settings | undefined
  current?: Current | undefined
  /** The certificate the domain served when the run began, in a few words. */
  inUse?: string | undefined
  /** The new certificate, in a few words (ARN and days left), when the run changes it. */
  newCertificate?: string | undefined
  checks?: string | undefined
  /** What the update changes, in a few words. */
  change?: string | undefined
  cloudFrontDomain?: string | undefined
  /** The rollout after the change, in a few words. */
  rollout?: string | undefined
  /** Why the step fails; absent when it succeeds. */
  failure?: string | undefined
  detail?: string | undefined
}

/** Ends the run: the job summary, and the step's failure when there is one. */
export async function finish(outcome: Outcome): Promise<void> {
  const detail = [outcome.failure, outcome.detail].filter((part) => part !== undefined).join(' ')
  await writeSummary({ ...outcome, detail: detail === '' ? undefined : detail })
  if (outcome.failure !== undefined) core.setFailed(redactCredentials(outcome.failure))
}

/**
 * A warning annotation. Like every line this action writes, it carries no credential: text from a
 * service (a proxy's page that echoes the request's headers) is redacted first.
 */
export function annotateWarning(message: string, title: string): void {
  core.warning(redactCredentials(message), { title })
}

/** An error annotation, redacted like a warning. */
export function annotateError(message: string, title: string): void {
  core.error(redactCredentials(message), { title })
}

export function problemMessage(problem: Problem): string {
  return `Input ${problem.input} (${shown(problem.value)}) ${problem.rule}. ${problem.fix}`
}

export function reportInputProblems(problems: Problem[]): void {
  for (const problem of problems) {
    annotateError(problemMessage(problem), `Invalid input: ${problem.input}`)
  }
}

/**
 * Every plain log line of a run goes through here. Lines carry values from the service (status,
 * ARNs, error names), so control characters are escaped: a line break could start a workflow command.
 */
export function logLine(text: string): void {
  core.info(oneLine(redactCredentials(text)))
}

export function reportStart(settings: Settings, release: string | undefined): void {
  const asked = [
    settings.certificateArn === undefined ? undefined : `certificate ${settings.certificateArn}`,
    settings.newest
      ? 'the newest certificate in ACM that covers the domain (certificate-arn: newest)'
      : undefined,
    settings.securityPolicy === undefined
      ? undefined
      : `security policy ${settings.securityPolicy}`,
    settings.managedLoginVersion === undefined
      ? undefined
      : `managed login version ${settings.managedLoginVersion}`
  ].filter((part) => part !== undefined)
  const kind = settings.domainKind === 'prefix' ? 'Prefix domain' : 'Domain'
  logLine(
    `${kind} ${settings.domain}, user pool ${settings.pool.id} in ${settings.pool.region.name}; requested ${asked.join(', ')}${release === undefined ? '' : ` (release ${release})`}`
  )
}

export function reportCurrent(current: Current): void {
  setOutput('previous-certificate-arn', current.certificateArn ?? '')
  setOutput('previous-security-policy', current.securityPolicy ?? '')
  setOutput('previous-managed-login-version', current.managedLoginVersion?.toString() ?? '')
  logLine(`Current: ${currentText(current)}`)
}

function currentText(current: Current): string {
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

export function reportKept(current: Current, note: string | undefined): void {
  setOutput('changed', 'false')
  setOutput('cloudfront-domain', current.cloudFrontDomain ?? '')
  logLine('The domain already has what was asked for: nothing to change.')
  if (note !== undefined) logLine(note)
}

type Update = Extract<Plan, { action: 'update' }>

export function reportUpdating(plan: Update): void {
  logLine(`Sending UpdateUserPoolDomain: ${updateText(plan)}`)
}

/** The plan of a dry run, with the outputs the real run would set. */
export function reportDryRun(settings: Settings, plan: Update): void {
  setOutput('changed', 'true')
  setOutput('cloudfront-domain', plan.current.cloudFrontDomain ?? '')
  logLine(
    `Dry run: every check passed. A real run would send UpdateUserPoolDomain for ${settings.domain} (user pool ${settings.pool.id}, ${settings.pool.region.name}): ${updateText(plan)}. Nothing was changed.`
  )
}

/** The changes, and what the request sends again unchanged. */
function updateText(plan: Update): string {
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

/**
 * Tells what the certificate the domain serves now came to. Its warnings are annotations; its
 * refusals too, unless this run replaces it (then they are said, and the run goes on).
 */
export function reportInUse(inUse: InUse, replacing: boolean): void {
  if (inUse.state === 'off') return
  if (inUse.state === 'unread') {
    annotateWarning(inUse.why, 'Certificate in use not checked')
    return
  }
  logLine(`Certificate in use: ${inUse.facts}`)
  for (const warning of inUse.verdict.warnings) annotateWarning(warning.message, warning.title)
  for (const refusal of inUse.verdict.refusals) {
    if (replacing) logLine(`${refusal.message} This run replaces it.`)
    else annotateError(refusal.message, refusal.title)
  }
}

/**
 * The outcome with the certificate in use: its summary row, and its refusals as the run's failure
 * unless the run replaces it.
 */
export function withInUse(outcome: Outcome, inUse: InUse, replacing: boolean): Outcome {
  const text = inUseText(inUse, outcome.current)
  const refusals = inUse.state === 'judged' && !replacing ? inUse.verdict.refusals : []
  if (refusals.length === 0) return { ...outcome, inUse: text }
  const said = refusals.map((refusal) => refusal.message).join(' ')
  return {
    ...outcome,
    inUse: text,
    result: outcome.failure === undefined ? `Failed: ${refusals[0]?.title ?? ''}` : outcome.result,
    failure: outcome.failure === undefined ? said : `${outcome.failure} ${said}`
  }
}

/** The certificate in use in a few words, for the job summary. */
export function inUseText(inUse: InUse, current: Current | undefined): string | undefined {
  if (inUse.state === 'judged') return certificateText(inUse.arn, inUse.certificate, inUse.days)
  return current?.certificateArn
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

/**
 * The outputs certificate-arn and days-remaining: the certificate the domain carries as the run
 * ends (or, in a dry run, would carry after a real run), and its whole days until NotAfter.
 */
export function reportLeaves(certificateArn: string | undefined, days: number | undefined): void {
  setOutput('certificate-arn', certificateArn ?? '')
  setOutput('days-remaining', days === undefined ? '' : String(days))
}

/** Tells what the certificate checks found: warnings and refusals as annotations. */
export function reportChecks(checks: Checks): void {
  if (checks.state === 'unchanged') {
    logLine('Certificate checks: not run, the certificate does not change.')
    return
  }
  if (checks.state === 'off') {
    logLine('Certificate checks: off (verify-certificate: false).')
    return
  }
  if (checks.state === 'skipped') {
    annotateWarning(checks.why, 'Certificate checks skipped')
    return
  }
  const { verdict, facts } = checks
  if (facts !== undefined) logLine(`New certificate: ${facts}`)
  for (const warning of verdict.warnings) annotateWarning(warning.message, warning.title)
  for (const refusal of verdict.refusals)
    annotateError(refusal.message, `Certificate refused: ${refusal.title}`)
  if (verdict.refusals.length === 0)
    logLine(
      `Certificate checks passed${verdict.warnings.length === 0 ? '' : `, with ${verdict.warnings.length} warning(s)`}.`
    )
}

/** The certificate checks in a few words, for the job summary. */
export function checksText(checks: Checks | undefined, later: { title: string }[] = []): string {
  if (checks === undefined) return 'Not run: no change to make'
  if (checks.state === 'unchanged') return 'Not run: the certificate does not change'
  if (checks.state === 'off') return 'Off (verify-certificate: false)'
  if (checks.state === 'skipped') return 'Skipped: the job may not call acm:DescribeCertificate'
  const titles = (findings: { title: string }[]) => findings.map((f) => f.title).join('; ')
  const { refusals } = checks.verdict
  const warnings = [...checks.verdict.warnings, ...later]
  if (refusals.length > 0) return `Refused: ${titles(refusals)}`
  return warnings.length === 0 ? 'Passed' : `Passed with warnings: ${titles(warnings)}`
}

export function reportRotated(changes: Change[], cloudFrontDomain: string | undefined): void {
  setOutput('changed', 'true')
  setOutput('cloudfront-domain', cloudFrontDomain ?? '')
  logLine(
    `Cognito accepted the change (${changesText(changes)}). CloudFront domain: ${cloudFrontDomain ?? 'not reported'}. Distribution to the edge takes up to an hour.`
  )
  logLine(rollbackHint(changes))
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

/** The rollback hint with the workflow step to paste, for a failure after a change. */
export function rollbackStep(settings: Settings, changes: Change[]): string {
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

/** Logs text of several lines, one log line each. */
export function logLines(text: string): void {
  for (const line of text.split('\n')) {
    // Only this action's own text breaks lines; a line break that came in a service's value must
    // not start a line the runner would read as a workflow command.
    logLine(line.trimStart().startsWith('::') ? `\\n${line}` : line)
  }
}

/** Writes the job summary; a summary that can't be written is a warning, never the run's failure. */
export async function writeSummary(outcome: Outcome): Promise<void> {
  if (process.env.GITHUB_STEP_SUMMARY === undefined || process.env.GITHUB_STEP_SUMMARY === '')
    return
  const { settings, current } = outcome
  const dryRun = settings?.dryRun === true
  const rows: [string, string | undefined][] = [
    ['Result', outcome.result],
    ['Release', outcome.release],
    ['Mode', dryRun ? 'Dry run: nothing was changed' : undefined],
    ['Domain', settings?.domain],
    ['User pool', settings?.pool.id],
    ['Region', settings?.pool.region.name],
    ['Certificate in use', outcome.inUse ?? current?.certificateArn],
    ['New certificate', outcome.newCertificate],
    ['Change', outcome.change],
    ['Certificate checks', outcome.checks],
    ['CloudFront domain', outcome.cloudFrontDomain ?? current?.cloudFrontDomain],
    ['Rollout', outcome.rollout]
  ]
  try {
    const heading = `Cognito custom domain certificate${dryRun ? ' (dry run)' : ''}`
    const summary = core.summary.addHeading(heading, 2).addTable([
      [
        { data: 'Item', header: true },
        { data: 'Value', header: true }
      ],
      ...rows.flatMap(([name, value]) =>
        value === undefined ? [] : [[name, escapeHtml(redactCredentials(value))]]
      )
    ])
    if (outcome.detail !== undefined)
      summary.addRaw(
        `<p>${escapeHtml(redactCredentials(outcome.detail)).replace(/\n/g, '<br>')}</p>`,
        true
      )
    await summary.write()
  } catch (error) {
    core.warning(
      `Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`
    )
  }
}
