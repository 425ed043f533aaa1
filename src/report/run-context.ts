import { readFileSync } from 'node:fs'

/**
 * What the workflow run tells about itself, read from the runner's variables and the event
 * payload, without the GitHub client (a run without github-token never loads it).
 */
export interface RunContext {
  /** owner/name, or undefined outside GitHub Actions. */
  repository: string | undefined
  /** The release tag when the event is a release, else undefined. */
  releaseTag: string | undefined
  /** What a deployment points at: the release tag, else the commit. */
  ref: string | undefined
  /** The run's page, for a deployment status's log_url. */
  runUrl: string | undefined
}

export function runContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const releaseTag = env.GITHUB_EVENT_NAME === 'release' ? releaseTagOf(env) : undefined
  const repository = nonEmpty(env.GITHUB_REPOSITORY)
  const server = nonEmpty(env.GITHUB_SERVER_URL) ?? 'https://github.com'
  const runId = nonEmpty(env.GITHUB_RUN_ID)
  const attempt = nonEmpty(env.GITHUB_RUN_ATTEMPT)
  return {
    repository,
    releaseTag,
    ref: releaseTag ?? nonEmpty(env.GITHUB_SHA),
    runUrl:
      repository === undefined || runId === undefined
        ? undefined
        : `${server}/${repository}/actions/runs/${runId}${attempt === undefined || attempt === '1' ? '' : `/attempts/${attempt}`}`
  }
}

/** The tag of the release in the event payload; GITHUB_REF_NAME if the payload can't be read. */
function releaseTagOf(env: NodeJS.ProcessEnv): string | undefined {
  try {
    const payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH ?? '', 'utf8')) as {
      release?: { tag_name?: unknown }
    }
    const tag = payload.release?.tag_name
    if (typeof tag === 'string' && tag !== '') return tag
  } catch {
    // no payload to read: fall back to the ref name below
  }
  return nonEmpty(env.GITHUB_REF_NAME)
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}
