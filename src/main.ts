import * as core from '@actions/core'
import { CallFailed } from './aws-calls.js'
import { connectCognito } from './cognito.js'
import { maskCredentials, redactCredentials } from './credentials.js'
import { checkInputs, readRawInputs, type Settings } from './inputs.js'
import { planRotation, type Current } from './plan.js'
import { checkNewCertificate } from './preflight.js'
import {
  checksText,
  logLine,
  problemMessage,
  reportChecks,
  reportCurrent,
  reportDryRun,
  reportInputProblems,
  reportKept,
  reportRotated,
  reportStart,
  reportUpdating,
  rollbackHint,
  writeSummary
} from './report.js'
import { explainFailure, requestIdOf } from './service-errors.js'

/**
 * One run: read and check the inputs → describe the domain → plan → check the new certificate →
 * update (unless a dry run) → report. Nothing is sent to AWS unless every input is valid, and
 * nothing is changed unless the plan and the certificate checks allow it.
 */
export async function run(): Promise<void> {
  maskCredentials()
  const checked = checkInputs(readRawInputs())
  if ('problems' in checked) {
    reportInputProblems(checked.problems)
    await writeSummary({
      result: 'Not run: invalid inputs',
      detail: checked.problems.map(problemMessage).join(' ')
    })
    core.setFailed(`${checked.problems.length} input(s) are not valid; nothing was sent to AWS.`)
    return
  }
  const { settings } = checked
  reportStart(settings)
  let current: Current | undefined
  let updateSent = false
  try {
    const cognito = await connectCognito(settings, logLine)
    const plan = planRotation(settings, await cognito.describeDomain(settings.domain))
    current = plan.current
    if (current !== undefined) reportCurrent(current)

    if (plan.action === 'refuse') {
      await fail(
        `${plan.reason}. Nothing was changed. ${plan.fix}`,
        settings,
        current,
        'Refused',
        false
      )
      return
    }
    if (plan.action === 'keep') {
      reportKept(plan.current, plan.note)
      await writeSummary({
        result: 'No change: the domain already uses this certificate',
        settings,
        current,
        checks: checksText(undefined)
      })
      return
    }

    const checks = await checkNewCertificate(settings, plan.current, logLine)
    reportChecks(checks)
    if (checks.state === 'judged' && checks.verdict.refusals.length > 0) {
      const count = checks.verdict.refusals.length
      const message = `The certificate ${settings.certificateArn} was refused by ${count} pre-flight check${count === 1 ? '' : 's'} (see the errors above). Nothing was changed.`
      await writeSummary({
        result: 'Refused: the certificate cannot serve this domain',
        settings,
        current,
        checks: checksText(checks),
        detail: checks.verdict.refusals.map((refusal) => refusal.message).join(' ')
      })
      core.setFailed(message)
      return
    }
    if (settings.dryRun) {
      reportDryRun(settings, plan.current)
      await writeSummary({
        result: 'Dry run: the certificate would be changed',
        settings,
        current,
        checks: checksText(checks)
      })
      return
    }

    reportUpdating(plan.current, settings.certificateArn)
    updateSent = true
    const { cloudFrontDomain } = await cognito.updateDomain(plan.request)
    reportRotated(plan.current, cloudFrontDomain)
    await writeSummary({
      result: 'Certificate changed; distribution takes up to an hour',
      settings,
      current,
      checks: checksText(checks),
      cloudFrontDomain,
      detail: rollbackHint(plan.current)
    })
  } catch (error) {
    const message = redactCredentials(failureMessage(error, settings))
    await fail(message, settings, current, 'Failed', updateSent)
  }
}

/** Fails the step; the rollback step is added where an update may have reached Cognito. */
async function fail(
  message: string,
  settings: Settings,
  current: Current | undefined,
  result: string,
  updateSent: boolean
): Promise<void> {
  const rollback = updateSent && current !== undefined ? ` ${rollbackHint(current)}` : ''
  await writeSummary({ result, settings, current, detail: message + rollback })
  core.setFailed(message)
}

function failureMessage(error: unknown, settings: Settings): string {
  const original = error instanceof CallFailed ? error.cause : error
  if (original instanceof Error && original.stack !== undefined)
    core.debug(redactCredentials(original.stack))
  if (error instanceof CallFailed) {
    const requestId = requestIdOf(error.cause)
    const id = requestId === undefined ? '' : ` (AWS request ID ${requestId})`
    return explainFailure(error, settings) + id
  }
  const text = error instanceof Error ? error.message : String(error)
  return `Unexpected error: ${text}. Please report it with the log of this run (re-run with debug logging for a stack trace).`
}
