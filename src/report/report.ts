/**
 * Says how a run went, and is the only module that does: every log line goes through logLine, and
 * every output, annotation, the step's failure and the job summary are written here from the run's
 * result and its progress (deployment.ts records the deployment from the same). Every line carries
 * no credential, and no line break from a service value can start a workflow command.
 */
import * as core from '@actions/core'
import { CallFailed } from '../aws/errors.js'
import { redactCredentials } from '../aws/secrets.js'
import { isServed } from '../rules/certificate.js'
import { escapeHtml, oneLine, shown } from '../common/display.js'
import { checkedDays } from '../flow/certificates.js'
import { certificateText, checksText, inUseText, rolloutText } from '../flow/messages.js'
import { TO_IMPORT } from '../flow/import.js'
import type { Note, Progress, RunResult } from '../flow/progress.js'
import type { Problem } from '../common/problem.js'
import type { Settings } from '../inputs/settings.js'
import { certificateChange, changesText } from '../rules/plan.js'
import { outputProblem, setOutput } from './outputs.js'

/**
 * A plain line of the log. Lines carry values from the service (status, ARNs, error names), so
 * control characters are escaped, and a line that would read as a workflow command is not one.
 */
export function logLine(text: string): void {
  const line = oneLine(redactCredentials(text))
  core.info(line.trimStart().startsWith('::') ? `\\n${line}` : line)
}

/** A warning or error annotation, redacted like every line. */
export function annotate(note: Note): void {
  const message = redactCredentials(note.message)
  if (note.level === 'error') core.error(message, { title: note.title })
  else core.warning(message, { title: note.title })
}

export function problemMessage(problem: Problem): string {
  return `Input ${problem.input} (${shown(problem.value)}) ${problem.rule}. ${problem.fix}`
}

export function reportInputProblems(problems: Problem[]): void {
  for (const problem of problems)
    annotate({
      level: 'error',
      title: `Invalid input: ${problem.input}`,
      message: problemMessage(problem)
    })
}

export function reportStart(settings: Settings, release: string | undefined): void {
  const asked = [
    settings.certificateArn === undefined ? undefined : `certificate ${settings.certificateArn}`,
    settings.newest
      ? 'the newest certificate in ACM that covers the domain (certificate-arn: newest)'
      : undefined,
    settings.pem === undefined
      ? undefined
      : `the certificate in certificate-pem (serial ${settings.pem.checked.serial})`,
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

/** The step's outputs, as the run left them (none for a run whose inputs were refused). */
export function outputsOf(progress: Progress | undefined): Record<string, string> {
  if (progress === undefined) return {}
  const outputs: Record<string, string> = {}
  const { current, change, leaves, rollout } = progress
  if (current !== undefined) {
    outputs['previous-certificate-arn'] = current.certificateArn ?? ''
    outputs['previous-security-policy'] = current.securityPolicy ?? ''
    outputs['previous-managed-login-version'] = current.managedLoginVersion?.toString() ?? ''
    outputs['cloudfront-domain'] =
      (change?.state === 'applied' ? change.cloudFrontDomain : undefined) ??
      current.cloudFrontDomain ??
      ''
  }
  // Unknown (empty) while an update was on its way or failed: the domain may carry it or not.
  if (change === undefined && progress.stage !== 'sending') outputs.changed = 'false'
  else if (change?.state === 'applied' || change?.state === 'would') outputs.changed = 'true'
  if (leaves !== undefined) {
    outputs['certificate-arn'] = leaves.certificateArn ?? ''
    outputs['days-remaining'] = leaves.days === undefined ? '' : String(leaves.days)
  }
  if (rollout !== undefined || progress.lastStatus !== undefined)
    outputs.status = progress.lastStatus ?? ''
  if (rollout !== undefined) outputs['rollout-seconds'] = String(rollout.seconds)
  if (progress.served !== undefined) outputs['served-certificate-serial'] = progress.served.serial
  outputs.imported = String(progress.imported !== undefined)
  outputs['retired-certificate-arn'] = progress.retired ?? ''
  return outputs
}

/** What a run's ending is written from: its settings and progress, once it has them. */
export interface Ending {
  settings?: Settings
  progress?: Progress
  /** The release tag, when a release started the run. */
  release?: string | undefined
}

/** The job summary's rows: what the run was asked, found, did and left. */
export function summaryRows(result: RunResult, ending: Ending): [string, string][] {
  const { progress, release } = ending
  const settings = ending.settings ?? progress?.settings
  const plan = progress?.plan
  const update = plan?.action === 'update' ? plan : undefined
  const newCertificate = update === undefined ? undefined : certificateChange(update.changes)
  const checks = progress?.checks
  const rows: [string, string | undefined][] = [
    ['Result', result.result],
    ['Release', release],
    ['Mode', settings?.dryRun === true ? 'Dry run: nothing was changed' : undefined],
    ['Domain', settings?.domain],
    ['User pool', settings?.pool.id],
    ['Region', settings?.pool.region.name],
    [
      // Once this run changed it, the certificate the domain carried before.
      progress?.change?.state === 'applied' && newCertificate !== undefined
        ? 'Certificate before'
        : 'Certificate in use',
      inUseText(progress?.inUse, progress?.current)
    ],
    [
      'New certificate',
      newCertificate === undefined
        ? undefined
        : certificateText(
            newCertificate.to,
            checks?.state !== 'judged'
              ? undefined
              : newCertificate.to === TO_IMPORT
                ? // Not in ACM yet: it has no status there.
                  { ...checks.certificate, Status: undefined }
                : checks.certificate,
            checkedDays(checks, new Date())
          )
    ],
    [
      'Change',
      update !== undefined && progress?.change !== undefined
        ? changesText(update.changes)
        : undefined
    ],
    [
      'Certificate checks',
      plan?.action === 'keep'
        ? checksText(undefined)
        : checks === undefined
          ? undefined
          : checksText(checks, progress?.laterFindings)
    ],
    [
      'CloudFront domain',
      progress === undefined ? undefined : outputsOf(progress)['cloudfront-domain']
    ],
    ['Rollout', progress === undefined ? undefined : rolloutRow(progress)]
  ]
  return rows.flatMap(([name, value]) =>
    value === undefined || value === '' ? [] : [[name, value]]
  )
}

/** The rollout in a few words: the wait's, or a dry run's look at the edge. */
function rolloutRow(progress: Progress): string | undefined {
  if (progress.rollout !== undefined) return rolloutText(progress.rollout)
  const { edge, inUse } = progress
  if (edge?.state !== 'served' || inUse?.state !== 'judged') return undefined
  const expected = inUse.certificate.Serial
  if (expected === undefined || expected === '') return undefined
  return isServed(inUse.certificate, edge.served)
    ? `Edge serves the certificate in use (serial ${edge.served.serial})`
    : `Edge serves serial ${edge.served.serial}, not the certificate in use`
}

/**
 * Ends the run: the outputs, the step's failure, the job summary. Writing an output that fails (a
 * full disk) never interrupted the run; it is said here, with what the run did.
 */
export async function finish(result: RunResult, ending: Ending): Promise<RunResult> {
  for (const [name, value] of Object.entries(outputsOf(ending.progress))) setOutput(name, value)
  const lost = outputProblem()
  const ended: RunResult =
    lost === undefined
      ? result
      : {
          ...result,
          result: `${result.result}; outputs not written`,
          failure: `${result.failure ?? `${result.result}.`} ${lost}`
        }
  debugStack(result.cause)
  if (ended.failure !== undefined) core.setFailed(redactCredentials(ended.failure))
  await writeSummary(ended, ending)
  return ended
}

/** The stack of the error behind a failure (an AWS call's: the service error's), for debug logs. */
function debugStack(cause: unknown): void {
  const original = cause instanceof CallFailed ? cause.cause : cause
  if (original instanceof Error && original.stack !== undefined)
    core.debug(redactCredentials(original.stack))
}

/** Writes the job summary; a summary that can't be written is a warning, never the run's failure. */
async function writeSummary(result: RunResult, ending: Ending): Promise<void> {
  if (process.env.GITHUB_STEP_SUMMARY === undefined || process.env.GITHUB_STEP_SUMMARY === '')
    return
  try {
    await core.summary.addRaw(summaryText(result, ending)).write()
  } catch (error) {
    core.warning(
      `Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`
    )
  }
}

/** The job summary, as HTML: a heading, the rows, and what to know or do next. */
export function summaryText(result: RunResult, ending: Ending): string {
  const dryRun = (ending.settings ?? ending.progress?.settings)?.dryRun === true
  const detail = [result.failure, result.detail].filter((part) => part !== undefined).join(' ')
  const heading = `Cognito custom domain certificate${dryRun ? ' (dry run)' : ''}`
  const summary = core.summary
    .emptyBuffer()
    .addHeading(heading, 2)
    .addTable([
      [
        { data: 'Item', header: true },
        { data: 'Value', header: true }
      ],
      ...summaryRows(result, ending).map(([name, value]) => [name, cell(value)])
    ])
  if (detail !== '') summary.addRaw(`<p>${cell(detail)}</p>`, true)
  const text = summary.stringify()
  summary.emptyBuffer()
  return text
}

/**
 * Text for the summary's HTML: escaped, redacted, and on one line (a line break becomes <br>), so
 * that a blank line in a service's value can't end the HTML block and be read as Markdown.
 */
function cell(text: string): string {
  return escapeHtml(redactCredentials(text)).replace(/\r\n|\r|\n|\u2028|\u2029/g, '<br>')
}
