import { describe, expect, test } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { root } from '../support/action.ts'
import { useScenario } from '../support/scenario.ts'

// What a cold start loads, as scripts/bundle.js arranges it (its speed is measured by
// `npm run bench`, not here): which files of dist/ a run reads, and which of node's own modules
// it loads. A dependency update that brings back one of the costs the bundle avoids fails here.
const scenario = useScenario()
const dir = mkdtempSync(join(tmpdir(), 'cold-start-test-'))

interface Loaded {
  /** The files of dist/ the run read, in order, relative to dist/. */
  files: string[]
  /** Node's own modules the run loaded (process.moduleLoadList). */
  builtins: string[]
}

/** The run's environment, with a module for --import that records what the run loads. */
function recording(name: string): { env: Record<string, string>; loaded: () => Loaded } {
  const log = join(dir, `${name}.log`)
  const recorder = join(dir, `${name}.mjs`)
  writeFileSync(log, '')
  writeFileSync(
    recorder,
    [
      "import { appendFileSync } from 'node:fs'",
      "import { registerHooks } from 'node:module'",
      'registerHooks({',
      '  load(url, context, next) {',
      `    appendFileSync(${JSON.stringify(log)}, 'file ' + url + '\\n')`,
      '    return next(url, context)',
      '  }',
      '})',
      "process.on('exit', () => {",
      `  appendFileSync(${JSON.stringify(log)}, process.moduleLoadList.map((m) => 'builtin ' + m + '\\n').join(''))`,
      '})'
    ].join('\n')
  )
  const dist = join(root, 'dist')
  return {
    env: { NODE_OPTIONS: `--import=${pathToFileURL(recorder).href}` },
    loaded: () => {
      const lines = readFileSync(log, 'utf8').split('\n')
      return {
        files: lines
          .filter((line) => line.startsWith('file file:'))
          .map((line) => fileURLToPath(line.slice('file '.length)))
          .filter((path) => path.startsWith(dist))
          .map((path) => relative(dist, path)),
        builtins: lines
          .filter((line) => line.startsWith('builtin NativeModule '))
          .map((line) => line.slice('builtin NativeModule '.length))
      }
    }
  }
}

describe('what a cold start loads', () => {
  test('a rotation reads index.js and chunks/aws.js, and none of zlib, web streams or undici', async () => {
    const pool = await scenario.poolWithDomain()
    const { env, loaded } = recording('rotation')
    const run = await scenario.rotate(pool, {}, env)
    expect(run.exitCode).toBe(0)
    expect(run.outputs.changed).toBe('true')

    const { files, builtins } = loaded()
    expect(files).toEqual(['index.js', join('chunks', 'aws.js')])
    // Loaded for AWS and the job's outputs: the recording itself works.
    expect(builtins).toEqual(expect.arrayContaining(['crypto', 'https', 'fs/promises']))
    expect(builtins).not.toContain('zlib')
    expect(builtins).not.toContain('internal/webstreams/readablestream')
    expect(builtins).not.toContain('internal/deps/undici/undici')
  })

  test('a run stopped by its inputs reads index.js only', async () => {
    const pool = await scenario.poolWithDomain()
    const { env, loaded } = recording('bad-input')
    const run = await scenario.rotate(pool, { 'certificate-arn': 'not-an-arn' }, env)
    expect(run.exitCode).toBe(1)
    expect(loaded().files).toEqual(['index.js'])
  })
})
