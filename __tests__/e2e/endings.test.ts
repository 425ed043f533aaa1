import { afterEach, beforeEach, expect, test } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runProcess, type Finished } from '../support/process.ts'
import { useScenario } from '../support/scenario.ts'

const scenario = useScenario()
let pool = ''
let dir = ''
beforeEach(async () => {
  pool = await scenario.poolWithDomain()
  dir = mkdtempSync(join(tmpdir(), 'endings-'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

test('a signal that comes as a successful run writes its ending: the ending is still written', async () => {
  // The job summary is a named pipe: writing it waits until the test reads it, which it does only
  // half a second after the signal (the runner's first, SIGINT) is sent, after the run's last line.
  const summary = join(dir, 'summary')
  expect(
    (await runProcess('mkfifo', [summary], { env: { PATH: process.env.PATH ?? '' } })).exitCode
  ).toBe(0)
  let reader: Promise<Finished> | undefined
  const run = await scenario.rotate(
    pool,
    {},
    { GITHUB_STEP_SUMMARY: summary },
    {
      text: 'Certificate in use:',
      signal: 'SIGINT',
      afterwards: () => {
        reader = new Promise((resolve) => setTimeout(resolve, 500)).then(() =>
          runProcess('cat', [summary], {
            env: { PATH: process.env.PATH ?? '' },
            timeoutMs: 8_000
          })
        )
      }
    }
  )
  const written = await reader

  expect(written?.stdout).toContain('Certificate changed; distribution takes up to an hour')
  expect(run.exitCode).toBe(0)
  expect(run.outputs.changed).toBe('true')
  expect(await scenario.storedCertificate()).toBe(scenario.newCert)
})
