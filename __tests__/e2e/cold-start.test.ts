import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { root } from '../support/action.ts'
import { startGitHubApi, type GitHubApi } from '../support/github-api.ts'
import { recordLoads } from '../support/load-recorder.ts'
import { useScenario } from '../support/scenario.ts'

// What a cold start loads, as scripts/bundle.js arranges it (its speed is measured by
// `npm run bench`, not here): which files of dist/ a run reads, and which of node's own modules
// it loads. Each test stands for one of the build's steps, named in its title, and fails when a
// dependency update makes that step stop doing its job; bundle-contents.test.ts checks what the
// files hold.
const scenario = useScenario()
let github: GitHubApi
beforeAll(async () => {
  github = await startGitHubApi()
})
afterAll(async () => {
  await github.close()
})

/** The files of dist/ the run read, in order, relative to dist/. */
function distFiles(urls: string[]): string[] {
  const dist = join(root, 'dist')
  return urls
    .filter((url) => url.startsWith('file:'))
    .map((url) => fileURLToPath(url))
    .filter((path) => path.startsWith(dist))
    .map((path) => relative(dist, path))
}

/** A rotation, recording what it loads. */
async function rotation(env: Record<string, string> = {}, inputs: Record<string, string> = {}) {
  const pool = await scenario.poolWithDomain()
  const recorder = recordLoads()
  const run = await scenario.rotate(pool, inputs, { ...env, ...recorder.env })
  expect(run.exitCode).toBe(0)
  expect(run.outputs.changed).toBe('true')
  return recorder.loaded()
}

describe('what a cold start loads', () => {
  test("a rotation reads index.js and chunks/aws.js, and no other file (regroup), and does not load node's undici: the SDK gets node:http as a value, not through its ES facade (builtinsAsValues)", async () => {
    const { urls, builtins } = await rotation()
    expect(distFiles(urls)).toEqual(['index.js', join('chunks', 'aws.js')])
    // Loaded for AWS and the job's outputs: the recording itself works.
    expect(builtins).toEqual(expect.arrayContaining(['crypto', 'http', 'https', 'fs/promises']))
    expect(builtins).not.toContain('internal/deps/undici/undici')
  })

  test('a run stopped by its inputs reads index.js only, and loads none of http, https and tls: no OIDC helper and its HTTP client (withoutOidc)', async () => {
    const pool = await scenario.poolWithDomain()
    const { env, loaded } = recordLoads()
    const run = await scenario.rotate(pool, { 'certificate-arn': 'not-an-arn' }, env)
    expect(run.exitCode).toBe(1)
    const { urls, builtins } = loaded()
    expect(distFiles(urls)).toEqual(['index.js'])
    expect(builtins).toEqual(expect.arrayContaining(['fs', 'os']))
    for (const networking of ['http', 'https', 'tls']) expect(builtins).not.toContain(networking)
  })

  test("with github-token, the GitHub calls go through node's own fetch (undiciFromNode)", async () => {
    const { urls, builtins } = await rotation(
      {
        GITHUB_API_URL: github.url,
        GITHUB_REPOSITORY: 'octo-org/sign-in',
        GITHUB_EVENT_NAME: 'push',
        GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
        GITHUB_RUN_ID: '777'
      },
      { 'github-token': 'ghs_FakeTokenForTheLocalApi0123456789' }
    )
    expect(github.received.map((request) => request.path)).toContain(
      '/repos/octo-org/sign-in/deployments'
    )
    expect(distFiles(urls)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^chunks[\\/]github-client-\w+\.js$/)])
    )
    expect(builtins).toContain('internal/deps/undici/undici')
  })
})
