import * as core from '@actions/core'
import { handleCancellation } from './report/cancellation.js'
import { maskCredentials } from './aws/secrets.js'
import { NO_DEPLOYMENT, startDeployment, type Deployment } from './report/deployment.js'
import { checkInputs, readRawInputs } from './inputs/settings.js'
import { outputProblem, runnerFileProblem } from './report/outputs.js'
import type { Current } from './rules/plan.js'
import {
  finish,
  logLines,
  problemMessage,
  reportInputProblems,
  reportStart,
  type Outcome
} from './report/report.js'
import { rotate } from './flow/rotate.js'
import { runContext } from './report/run-context.js'
import { failureMessage } from './aws/errors.js'

/**
 * One run: read and check the inputs (and the runner's output file) → open a GitHub deployment
 * (with github-token) → describe the domain → plan → check the new certificate → change it (unless
 * a dry run), follow it to the edge and roll back if asked → report → close the deployment.
 * Nothing is sent to AWS unless every input is valid, and nothing is changed unless the plan and
 * the certificate checks allow it. A cancelled job stops every call in flight and ends here too.
 */
export async function run(): Promise<void> {
  maskCredentials()
  const raw = readRawInputs()
  if (raw['github-token'] !== '') core.setSecret(raw['github-token'])
  const context = runContext()
  const release = context.releaseTag
  const checked = checkInputs(raw)
  if ('problems' in checked) {
    reportInputProblems(checked.problems)
    await finish({
      result: 'Not run: invalid inputs',
      release,
      failure: `${checked.problems.length} input(s) are not valid; nothing was sent to AWS.`,
      detail: checked.problems.map(problemMessage).join(' ')
    })
    return
  }
  const { settings } = checked
  const runnerProblem = runnerFileProblem()
  if (runnerProblem !== undefined) {
    await finish({
      result: "Not run: the runner's output file can't be written",
      release,
      settings,
      failure: `${runnerProblem} Nothing was sent to AWS.`
    })
    return
  }
  let deployment: Promise<Deployment> = Promise.resolve(NO_DEPLOYMENT)
  let current: Current | undefined
  // The error line and the job summary first, then the deployment: a cancelled job has little time.
  const end = async (outcome: Outcome): Promise<void> => {
    await finish({ ...outcome, release })
    await (await deployment).finish(outcome)
  }
  const notChanged = (signal: string): Outcome => ({
    result: 'Cancelled',
    settings,
    current,
    failure: `Cancelled (${signal}) before any change was sent: nothing was changed.`
  })
  // Set before the run says it has started and before the deployment is created, so a job cancelled
  // meanwhile still ends it. applyChange describes a cancellation from the moment it sends the change.
  const cancellation = handleCancellation(async (outcome) => {
    if (outcome.failure !== undefined) logLines(outcome.failure)
    await end(outcome)
  }, notChanged)
  reportStart(settings, release)
  // A dry run changes nothing, so it records no deployment.
  deployment = startDeployment(
    settings,
    context,
    settings.dryRun ? '' : raw['github-token'],
    cancellation.deadline
  )
  await deployment
  let outcome: Outcome
  try {
    outcome = await rotate(settings, (seen) => (current = seen), cancellation)
  } catch (error) {
    // Anything that ends here happened before a change was sent: applyChange handles its own.
    outcome = { result: 'Failed', settings, current, failure: failureMessage(error, settings) }
  }
  const lostOutput = outputProblem()
  if (lostOutput !== undefined)
    outcome = {
      ...outcome,
      result: `${outcome.result}; outputs not written`,
      // Said with what the run did: the domain may have been changed all the same.
      failure: `${outcome.failure ?? `${outcome.result}.`} ${lostOutput}`
    }
  // A cancelled run has its own ending (cancellation.ts); this one waits for it to be written.
  if (cancellation.stop()) await end(outcome)
  else await cancellation.ended
}
