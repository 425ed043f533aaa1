import { expect, test } from '@jest/globals'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { node24, root } from '../support/action.ts'
import { runProcess } from '../support/process.ts'

/**
 * `npm run try -- --serve`, as the README gives it: the emulator stays up with a pool, its domain
 * and certificates, and the commands it prints run the action against it with npm run action.
 */
test('npm run try -- --serve: the commands it prints run the action against the emulator, until Ctrl-C', async () => {
  const serve = spawn(node24, [join(root, 'scripts', 'try-local.ts'), '--serve'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: tmpdir() },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let printed = ''
  serve.stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()))
  serve.stderr.on('data', (chunk: Buffer) => (printed += chunk.toString()))
  const ended = once(serve, 'exit')
  try {
    while (!printed.includes('--dry-run false')) {
      if (serve.exitCode !== null) throw new Error(`npm run try -- --serve ended:\n${printed}`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    const endpoint = /export AWS_ENDPOINT_URL=(\S+)/.exec(printed)?.[1] ?? ''
    const command = /^ {2}npm run action -- (.*)$/m.exec(printed)?.[1] ?? ''
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: tmpdir(),
      AWS_CONFIG_FILE: join(tmpdir(), 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(tmpdir(), 'no-aws-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test'
    }
    const action = (args: string[]) =>
      runProcess(node24, [join(root, 'scripts', 'run-action.ts'), ...args], { env, cwd: root })

    const dry = await action(command.split(' '))
    expect(dry.exitCode).toBe(0)
    expect(dry.stdout).toContain('Dry run: every check passed.')

    const real = await action([...command.split(' '), '--dry-run', 'false'])
    expect(real.exitCode).toBe(0)
    expect(real.stdout).toContain('Result: Certificate changed; distribution takes up to an hour')
  } finally {
    serve.kill('SIGINT')
    await ended
  }
  expect(serve.exitCode).toBe(0)
  expect(printed).toContain('Stopping the emulator.')
})
