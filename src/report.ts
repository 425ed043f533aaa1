import * as core from '@actions/core'
import { escapeHtml, oneLine, shown } from './display.js'
import type { Settings } from './inputs.js'
import type { Current } from './plan.js'
import type { Problem } from './problem.js'

/** The outcome of a run, as the job summary shows it. */
export interface Outcome {
  result: string
  settings?: Settings | undefined
  current?: Current | undefined
  cloudFrontDomain?: string | undefined
  detail?: string | undefined
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
  const policy =
    current.securityPolicy === undefined ? '' : ` (security policy ${current.securityPolicy} kept)`
  logLine(`Sending UpdateUserPoolDomain: ${current.certificateArn} → ${certificateArn}${policy}`)
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

/** Writes the job summary; a summary that can't be written is a warning, never the run's failure. */
export async function writeSummary(outcome: Outcome): Promise<void> {
  if (process.env.GITHUB_STEP_SUMMARY === undefined || process.env.GITHUB_STEP_SUMMARY === '')
    return
  const { settings, current } = outcome
  const rows: [string, string | undefined][] = [
    ['Result', outcome.result],
    ['Domain', settings?.domain],
    ['User pool', settings?.pool.id],
    ['Region', settings?.pool.region.name],
    ['Previous certificate', current?.certificateArn],
    ['New certificate', settings?.certificateArn],
    ['CloudFront domain', outcome.cloudFrontDomain ?? current?.cloudFrontDomain]
  ]
  try {
    const summary = core.summary.addHeading('Cognito custom domain certificate', 2).addTable([
      [
        { data: 'Item', header: true },
        { data: 'Value', header: true }
      ],
      ...rows.flatMap(([name, value]) => (value === undefined ? [] : [[name, escapeHtml(value)]]))
    ])
    if (outcome.detail !== undefined) summary.addRaw(`<p>${escapeHtml(outcome.detail)}</p>`, true)
    await summary.write()
  } catch (error) {
    core.warning(
      `Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`
    )
  }
}
