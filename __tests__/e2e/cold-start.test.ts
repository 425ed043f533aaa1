import { describe, expect, test } from '@jest/globals'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { root } from '../support/action.ts'
import { recordLoads } from '../support/load-recorder.ts'
import { useScenario } from '../support/scenario.ts'

// What a cold start loads, as scripts/bundle.js arranges it (its speed is measured by
// `npm run bench`, not here): which files of dist/ a run reads, and which of node's own modules
// it loads. A dependency update that brings back one of the costs the bundle avoids fails here.
const scenario = useScenario()

/** The files of dist/ the run read, in order, relative to dist/. */
function distFiles(urls: string[]): string[] {
  const dist = join(root, 'dist')
  return urls
    .filter((url) => url.startsWith('file:'))
    .map((url) => fileURLToPath(url))
    .filter((path) => path.startsWith(dist))
    .map((path) => relative(dist, path))
}

describe('what a cold start loads', () => {
  test('a rotation reads index.js and chunks/aws.js, and no undici', async () => {
    const pool = await scenario.poolWithDomain()
    const { env, loaded } = recordLoads()
    const run = await scenario.rotate(pool, {}, env)
    expect(run.exitCode).toBe(0)
    expect(run.outputs.changed).toBe('true')

    const { urls, builtins } = loaded()
    expect(distFiles(urls)).toEqual(['index.js', join('chunks', 'aws.js')])
    // Loaded for AWS and the job's outputs: the recording itself works.
    expect(builtins).toEqual(expect.arrayContaining(['crypto', 'https', 'fs/promises']))
    expect(builtins).not.toContain('internal/deps/undici/undici')
  })

  test('a run stopped by its inputs reads index.js only', async () => {
    const pool = await scenario.poolWithDomain()
    const { env, loaded } = recordLoads()
    const run = await scenario.rotate(pool, { 'certificate-arn': 'not-an-arn' }, env)
    expect(run.exitCode).toBe(1)
    expect(distFiles(loaded().urls)).toEqual(['index.js'])
  })
})
