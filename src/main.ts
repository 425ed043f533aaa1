import * as core from '@actions/core'
import { acmFor } from './aws/acm.js'
import { cognitoFor } from './aws/cognito.js'
import { maskCredentials, maskKey, maskKeyBlocks } from './aws/secrets.js'
import { servedCertificate } from './aws/tls.js'
import { isCancelled, realClock } from './common/time.js'
import { cancelledResult } from './flow/cancelled.js'
import type { Ports } from './flow/ports.js'
import { Progress, type RunResult } from './flow/progress.js'
import { rotate } from './flow/rotate.js'
import { certificateRegion } from './inputs/identifiers.js'
import { readPemFiles } from './inputs/pem-files.js'
import { checkInputs, readRawInputs, type Settings } from './inputs/settings.js'
import { handleCancellation } from './report/cancellation.js'
import { NO_DEPLOYMENT, startDeployment, type Deployment } from './report/deployment.js'
import { runnerFileProblem } from './report/outputs.js'
import {
  annotate,
  finish,
  logLine,
  outputsOf,
  problemMessage,
  reportInputProblems,
  reportStart
} from './report/report.js'
import { runContext } from './report/run-context.js'

/**
 * One run: read and check the inputs (and the runner's output file) → open a GitHub deployment
 * (with github-token) → rotate: describe the domain, plan, check the new certificate, change it
 * (unless a dry run), follow it to the edge and roll back if asked → report the result → close the
 * deployment. Nothing is sent to AWS unless every input is valid, and nothing is changed unless the
 * plan and the certificate checks allow it. A cancelled job stops every call in flight and ends
 * with what the run's progress says.
 */
export async function run(): Promise<void> {
  maskCredentials()
  const given = readRawInputs()
  // Every PEM text, given or read from a file (and a value that looks like a key's body), has its
  // key material masked as soon as it is read: before anything is printed, and before it is parsed.
  const files = readPemFiles(
    given,
    process.env.GITHUB_WORKSPACE ?? process.cwd(),
    (input, text) => {
      if (input === 'private-key-pem') maskKey(text)
      else maskKeyBlocks(text)
    }
  )
  if (given['github-token'] !== '') core.setSecret(given['github-token'])
  const context = runContext()
  const release = context.releaseTag
  const raw = { ...given, ...files.texts }
  // The PEM rules are loaded only by a run that is given a certificate as PEM.
  const pem = raw['certificate-pem'] === '' ? undefined : await import('./rules/pem.js')
  const checked = checkInputs(raw, {
    ...(pem !== undefined && {
      check: (texts, expected) => pem.checkPem(texts, { ...expected, trusted: pem.trustStore() })
    }),
    now: new Date(),
    paths: files.paths,
    unread: files.problems
  })
  if ('problems' in checked) {
    reportInputProblems(checked.problems)
    await finish(
      {
        result: 'Not run: invalid inputs',
        failure: `${checked.problems.length} input(s) are not valid; nothing was sent to AWS.`,
        detail: checked.problems.map(problemMessage).join(' ')
      },
      { release }
    )
    return
  }
  const { settings } = checked
  const runnerProblem = runnerFileProblem()
  if (runnerProblem !== undefined) {
    await finish(
      {
        result: "Not run: the runner's output file can't be written",
        failure: `${runnerProblem} Nothing was sent to AWS.`
      },
      { settings, release }
    )
    return
  }

  const progress = new Progress(settings, annotate)
  let deployment: Promise<Deployment> = Promise.resolve(NO_DEPLOYMENT)
  // The error line, the outputs and the job summary first, then the deployment: a cancelled job
  // has little time.
  const end = async (result: RunResult): Promise<void> => {
    const ended = await finish(result, { settings, progress, release })
    await (await deployment).finish(ended, outputsOf(progress)['cloudfront-domain'])
  }
  // Set before the run says it has started and before the deployment is created, so a job
  // cancelled meanwhile still ends it.
  const cancellation = handleCancellation(async (signal) => {
    const result = cancelledResult(progress, signal, realClock.now())
    for (const line of (result.failure ?? '').split('\n')) logLine(line)
    await end(result)
  })
  reportStart(settings, release)
  // A dry run changes nothing, so it records no deployment.
  deployment = startDeployment(
    settings,
    context,
    settings.dryRun ? '' : raw['github-token'],
    cancellation.deadline
  )
  await deployment
  let result: RunResult
  try {
    result = await rotate(awsPorts(settings), settings, progress, cancellation.signal)
  } catch (error) {
    // The cancellation's own ending is being written (see above).
    if (!isCancelled(error)) throw error
    await cancellation.ended
    return
  }
  if (cancellation.stop()) await end(result)
  else await cancellation.ended
}

/** The real Cognito, ACM, edge and clock, each call said in the log when it is retried. */
function awsPorts(settings: Settings): Ports {
  return {
    cognito: cognitoFor(settings.pool, settings.limits, logLine),
    acm: acmFor(certificateRegion(settings.pool.region), settings.limits, logLine),
    edge: {
      served: (endpoint, servername, signal) => servedCertificate(endpoint, servername, signal)
    },
    clock: realClock,
    log: logLine
  }
}
