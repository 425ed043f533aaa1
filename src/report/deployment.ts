import * as core from '@actions/core'
import { realClock } from '../common/time.js'
import type { RunResult } from '../flow/progress.js'
import type { Settings } from '../inputs/settings.js'
import { GRACE_MS } from './cancellation.js'
import { annotate } from './report.js'
import type { RunContext } from './run-context.js'

/** A GitHub Deployment for the run, or nothing when no token was given. */
export interface Deployment {
  /**
   * Records how the run ended: success (linking the CloudFront domain), failure, or inactive when
   * nothing changed.
   */
  finish(result: RunResult, cloudFrontDomain: string | undefined): Promise<void>
}

/** No deployment (no token, a dry run, or recording failed): finishing it records nothing. */
export const NO_DEPLOYMENT: Deployment = { finish: () => Promise.resolve() }

/** GitHub calls wait at most this long: a slow API must not hold up a certificate rollout. */
const GITHUB_TIMEOUT_MS = 10_000
const GRACE_S = GRACE_MS / 1000

/**
 * Creates the deployment (environment, ref) and marks it in_progress. Recording is never the reason
 * a run fails: any failure here is a warning, and the run goes on without a deployment. Every
 * GitHub call ends after GITHUB_TIMEOUT_MS, or when `deadline` ends (a cancelled job's time to
 * record how it ended is up).
 */
export async function startDeployment(
  settings: Settings,
  context: RunContext,
  token: string,
  deadline: AbortSignal
): Promise<Deployment> {
  const bounded = () =>
    realClock.deadline(deadline, GITHUB_TIMEOUT_MS, 'the time for a GitHub call')
  if (token === '') return NO_DEPLOYMENT
  const { environment } = settings
  const where = `the GitHub deployment (environment ${environment})`
  if (context.repository === undefined || context.ref === undefined) {
    warn(
      `${where} is not recorded: GITHUB_REPOSITORY or GITHUB_SHA is not set, so this does not look like a GitHub Actions run.`
    )
    return NO_DEPLOYMENT
  }
  const [owner = '', repo = ''] = context.repository.split('/')
  try {
    const { getOctokit } = await import('../aws/sdk/github-client.js')
    const octokit = getOctokit(token)
    const created = await octokit.rest.repos.createDeployment({
      owner,
      repo,
      ref: context.ref,
      environment,
      description: short(`Certificate rollout for ${settings.domain}`),
      auto_merge: false,
      required_contexts: [],
      payload: {
        domain: settings.domain,
        'user-pool-id': settings.pool.id,
        ...(settings.certificateArn !== undefined && {
          'certificate-arn': settings.certificateArn
        }),
        ...(settings.newest && { 'certificate-arn': 'newest' }),
        ...(settings.pem !== undefined && {
          'certificate-pem': `sha256 ${settings.pem.checked.fingerprint256}`
        })
      },
      request: { signal: bounded() }
    })
    if (!('id' in created.data))
      throw new Error(`GitHub did not create it: ${created.data.message ?? created.status}`)
    const id = created.data.id
    const status = (
      state: 'in_progress' | 'success' | 'failure' | 'inactive',
      description: string,
      url?: string
    ) =>
      octokit.rest.repos.createDeploymentStatus({
        owner,
        repo,
        deployment_id: id,
        state,
        description: short(description),
        ...(context.runUrl !== undefined && { log_url: context.runUrl }),
        ...(url !== undefined && { environment_url: url }),
        auto_inactive: state === 'success',
        request: { signal: bounded() }
      })
    try {
      await status('in_progress', `Rolling out to ${settings.domain}`)
    } catch (error) {
      // The deployment exists: it still gets its final status.
      warn(
        `${where}: deployment ${id} was created, but its in_progress status was not recorded: ${reason(error, deadline)}`
      )
    }
    core.info(
      `Recording the rollout as GitHub deployment ${id} (environment ${environment}, ref ${context.ref}).`
    )
    return {
      finish: async (result, cloudFrontDomain) => {
        const state = stateOf(result)
        const url =
          state === 'success' && cloudFrontDomain !== undefined && cloudFrontDomain !== ''
            ? `https://${cloudFrontDomain}`
            : undefined
        try {
          await status(state, result.result, url)
          core.info(`GitHub deployment ${id}: ${state}.`)
        } catch (error) {
          warn(
            `${where}: deployment ${id} was created, but its final status (${state}) was not recorded: ${reason(error, deadline)}`
          )
        }
      }
    }
  } catch (error) {
    warn(`${where} is not recorded: ${reason(error, deadline)}`)
    return NO_DEPLOYMENT
  }
}

function stateOf(result: RunResult): 'success' | 'failure' | 'inactive' {
  if (result.failure !== undefined) return 'failure'
  return result.unchanged === true ? 'inactive' : 'success'
}

/** What GitHub said, with what to do about the usual causes. */
function reason(error: unknown, deadline: AbortSignal): string {
  const status = (error as { status?: unknown } | null)?.status
  const message = error instanceof Error ? error.message : String(error)
  if (deadline.aborted)
    return `GitHub did not answer before the cancelled job had to end (${GRACE_S} s after the signal).`
  // Octokit reports a request it gave up on as status 500: it is no answer from GitHub.
  if (wasAborted(error))
    return `GitHub did not answer within ${GITHUB_TIMEOUT_MS / 1000} s. The certificate rollout itself is not affected.`
  if (status === 401 || status === 403 || status === 404)
    return `GitHub answered ${status} (${message}). Give the job \`permissions: deployments: write\` and pass github-token: \${{ github.token }}. The certificate rollout itself is not affected.`
  return `${typeof status === 'number' ? `GitHub answered ${status}: ` : ''}${message}. The certificate rollout itself is not affected.`
}

/** The request was given up on (its timeout or the job's end), however the client wrapped it. */
function wasAborted(error: unknown): boolean {
  const names = new Set(['AbortError', 'TimeoutError', 'TimeUp', 'Cancelled'])
  const err = error as { name?: unknown; message?: unknown; cause?: { name?: unknown } } | null
  return (
    names.has(String(err?.name)) ||
    names.has(String(err?.cause?.name)) ||
    /operation was aborted|the time for a GitHub call ran out/i.test(String(err?.message))
  )
}

function warn(message: string): void {
  annotate({ level: 'warning', title: 'Deployment not recorded', message })
}

/** GitHub keeps at most 140 characters of a description. */
function short(text: string): string {
  return text.length <= 140 ? text : `${text.slice(0, 139)}…`
}
