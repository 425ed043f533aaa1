import { applyChange } from './apply.js'
import { connectCognito } from './cognito.js'
import { maskCredentials } from './credentials.js'
import { checkInputs, readRawInputs, type Settings } from './inputs.js'
import { planRotation, type Current } from './plan.js'
import { checkNewCertificate } from './preflight.js'
import {
  checksText,
  finish,
  logLine,
  problemMessage,
  reportChecks,
  reportCurrent,
  reportDryRun,
  reportInputProblems,
  reportKept,
  reportStart,
  type Outcome
} from './report.js'
import { failureMessage } from './service-errors.js'

/**
 * One run: read and check the inputs → describe the domain → plan → check the new certificate →
 * change it (unless a dry run), follow it to the edge and roll back if asked → report. Nothing is
 * sent to AWS unless every input is valid, and nothing is changed unless the plan and the
 * certificate checks allow it.
 */
export async function run(): Promise<void> {
  maskCredentials()
  const checked = checkInputs(readRawInputs())
  if ('problems' in checked) {
    reportInputProblems(checked.problems)
    await finish({
      result: 'Not run: invalid inputs',
      failure: `${checked.problems.length} input(s) are not valid; nothing was sent to AWS.`,
      detail: checked.problems.map(problemMessage).join(' ')
    })
    return
  }
  const { settings } = checked
  reportStart(settings)
  let current: Current | undefined
  try {
    await finish(await rotate(settings, (seen) => (current = seen)))
  } catch (error) {
    // Anything that ends here happened before a change was sent: applyChange handles its own.
    await finish({ result: 'Failed', settings, current, failure: failureMessage(error, settings) })
  }
}

async function rotate(settings: Settings, onCurrent: (current: Current) => void): Promise<Outcome> {
  const cognito = await connectCognito(settings, logLine)
  const plan = planRotation(settings, await cognito.describeDomain(settings.domain))
  const { current } = plan
  if (current !== undefined) {
    onCurrent(current)
    reportCurrent(current)
  }
  if (plan.action === 'refuse')
    return {
      result: 'Refused',
      settings,
      current,
      failure: `${plan.reason}. Nothing was changed. ${plan.fix}`
    }
  if (plan.action === 'keep') {
    reportKept(plan.current, plan.note)
    return {
      result: 'No change: the domain already uses this certificate',
      settings,
      current,
      checks: checksText(undefined)
    }
  }

  const checks = await checkNewCertificate(settings, plan.current, logLine)
  reportChecks(checks)
  if (checks.state === 'judged' && checks.verdict.refusals.length > 0) {
    const count = checks.verdict.refusals.length
    return {
      result: 'Refused: the certificate cannot serve this domain',
      settings,
      current,
      checks: checksText(checks),
      failure: `The certificate ${settings.certificateArn} was refused by ${count} pre-flight check${count === 1 ? '' : 's'} (see the errors above). Nothing was changed.`,
      detail: checks.verdict.refusals.map((refusal) => refusal.message).join(' ')
    }
  }
  if (settings.dryRun) {
    reportDryRun(settings, plan.current)
    return {
      result: 'Dry run: the certificate would be changed',
      settings,
      current,
      checks: checksText(checks)
    }
  }
  return applyChange(settings, plan, checks, cognito)
}
