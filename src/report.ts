import * as core from '@actions/core'
import { escapeHtml, oneLine, shown } from './display.js'
import type { Settings } from './inputs.js'
import type { Current } from './plan.js'
import type { Checks } from './preflight.js'
import type { Problem } from './problem.js'

/** The outcome of a run, as the job summary shows it. */
export interface Outcome {
  result: string
  settings?: Settings | undefined
  current?: Current | undefined
  checks?: string | undefined
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
  if (outcome.failure !== undefined) core.setFailed(outcome.failure)
}

export function problemMessage(problem: Problem): string {
  return `Input ${problem.input} (${shown(problem.value)}) ${problem.rule}. ${problem.fix}`
}

export function reportInputProblems(problems: Problem[]): void {
  for (const problem of problems) {
    core.error(problemMessage(problem), { title: `Invalid input: ${problem.input}` })
  }
}

/**
 * Every plain log line of a run goes through here. Lines carry values from the service (status,
 * ARNs, error names), so control characters are escaped: a line break could start a workflow command.
 */
export function logLine(text: string): void {
  core.info(oneLine(text))
}

export function reportStart(settings: Settings): void {
  logLine(
    `Domain ${settings.domain}, user pool ${settings.pool.id} in ${settings.pool.region.name}; requested certificate ${settings.certificateArn}`
  )
}

export function reportCurrent(current: Current): void {
  core.setOutput('previous-certificate-arn', current.certificateArn)
  const policy =
    current.securityPolicy === undefined ? '' : `, security policy ${current.securityPolicy}`
  logLine(
    `Current certificate: ${current.certificateArn} (status ${current.status}, CloudFront ${current.cloudFrontDomain ?? 'not reported'}${policy})`
  )
}

export function reportKept(current: Current, note: string | undefined): void {
  core.setOutput('changed', 'false')
  core.setOutput('cloudfront-domain', current.cloudFrontDomain ?? '')
  logLine('The domain already uses the requested certificate: nothing to change.')
  if (note !== undefined) logLine(note)
}

export function reportUpdating(current: Current, certificateArn: string): void {
  logLine(`Sending UpdateUserPoolDomain: ${change(current, certificateArn)}`)
}

/** The plan of a dry run, with the outputs the real run would set. */
export function reportDryRun(settings: Settings, current: Current): void {
  core.setOutput('changed', 'true')
  core.setOutput('cloudfront-domain', current.cloudFrontDomain ?? '')
  logLine(
    `Dry run: every check passed. A real run would send UpdateUserPoolDomain for ${settings.domain} (user pool ${settings.pool.id}, ${settings.pool.region.name}): ${change(current, settings.certificateArn)}. Nothing was changed.`
  )
}

function change(current: Current, certificateArn: string): string {
  const carried =
    current.securityPolicy === undefined
      ? 'the domain reports no security policy, so none is sent'
      : `security policy ${current.securityPolicy} carried over`
  return `certificate ${current.certificateArn} → ${certificateArn} (${carried})`
}

/** Tells what the certificate checks found: warnings and refusals as annotations. */
export function reportChecks(checks: Checks): void {
  if (checks.state === 'off') {
    logLine('Certificate checks: off (verify-certificate: false).')
    return
  }
  if (checks.state === 'skipped') {
    core.warning(checks.why, { title: 'Certificate checks skipped' })
    return
  }
  const { verdict, notes, facts } = checks
  if (facts !== undefined) logLine(`New certificate: ${facts}`)
  for (const note of notes) logLine(note)
  for (const warning of verdict.warnings) core.warning(warning.message, { title: warning.title })
  for (const refusal of verdict.refusals)
    core.error(refusal.message, { title: `Certificate refused: ${refusal.title}` })
  if (verdict.refusals.length === 0)
    logLine(
      `Certificate checks passed${verdict.warnings.length === 0 ? '' : `, with ${verdict.warnings.length} warning(s)`}.`
    )
}

/** The certificate checks in a few words, for the job summary. */
export function checksText(checks: Checks | undefined): string {
  if (checks === undefined) return 'Not run: no change to make'
  if (checks.state === 'off') return 'Off (verify-certificate: false)'
  if (checks.state === 'skipped') return 'Skipped: the job may not call acm:DescribeCertificate'
  const titles = (findings: { title: string }[]) => findings.map((f) => f.title).join('; ')
  const { refusals, warnings } = checks.verdict
  if (refusals.length > 0) return `Refused: ${titles(refusals)}`
  return warnings.length === 0 ? 'Passed' : `Passed with warnings: ${titles(warnings)}`
}

export function reportRotated(current: Current, cloudFrontDomain: string | undefined): void {
  core.setOutput('changed', 'true')
  core.setOutput('cloudfront-domain', cloudFrontDomain ?? '')
  logLine(
    `Cognito accepted the new certificate. CloudFront domain: ${cloudFrontDomain ?? 'not reported'}. Distribution to the edge takes up to an hour.`
  )
  logLine(rollbackHint(current))
}

export function rollbackHint(current: Current): string {
  return `To roll back, run this action again with certificate-arn: ${current.certificateArn}`
}

/** The rollback hint with the workflow step to paste, for a failure after a change. */
export function rollbackStep(settings: Settings, current: Current): string {
  const repository = process.env.GITHUB_ACTION_REPOSITORY
  const ref = process.env.GITHUB_ACTION_REF
  const uses =
    repository !== undefined && repository !== ''
      ? `${repository}@${ref !== undefined && ref !== '' ? ref : '<ref>'}`
      : '<this action>@<ref>'
  return [
    `${rollbackHint(current)}, for example with this step:`,
    `- uses: ${uses}`,
    '  with:',
    `    domain: ${settings.domain}`,
    `    user-pool-id: ${settings.pool.id}`,
    `    certificate-arn: ${current.certificateArn}`
  ].join('\n')
}

/** Logs text of several lines, one log line each. */
export function logLines(text: string): void {
  for (const line of text.split('\n')) logLine(line)
}

/** Writes the job summary; a summary that can't be written is a warning, never the run's failure. */
export async function writeSummary(outcome: Outcome): Promise<void> {
  if (process.env.GITHUB_STEP_SUMMARY === undefined || process.env.GITHUB_STEP_SUMMARY === '')
    return
  const { settings, current } = outcome
  const dryRun = settings?.dryRun === true
  const rows: [string, string | undefined][] = [
    ['Result', outcome.result],
    ['Mode', dryRun ? 'Dry run: nothing was changed' : undefined],
    ['Domain', settings?.domain],
    ['User pool', settings?.pool.id],
    ['Region', settings?.pool.region.name],
    ['Previous certificate', current?.certificateArn],
    ['New certificate', settings?.certificateArn],
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
      ...rows.flatMap(([name, value]) => (value === undefined ? [] : [[name, escapeHtml(value)]]))
    ])
    if (outcome.detail !== undefined)
      summary.addRaw(`<p>${escapeHtml(outcome.detail).replace(/\n/g, '<br>')}</p>`, true)
    await summary.write()
  } catch (error) {
    core.warning(
      `Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`
    )
  }
}
