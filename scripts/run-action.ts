/**
 * Runs the bundled action from your own machine against your own AWS account, as a workflow step
 * would run it, and prints its log, outputs and job summary:
 *
 *   npm run action -- --domain auth.example.com --user-pool-id eu-west-1_AbC123 \
 *     --certificate-arn arn:aws:acm:us-east-1:111122223333:certificate/1a2b…
 *
 * Each `--name value` (or `--name=value`) is the input of that name, as in a step's `with:`. It is a
 * dry run unless `--dry-run false` is given: the first run against a real domain changes nothing.
 * A relative path (certificate-pem, private-key-pem) is read from the folder npm was started in.
 * The log is shown as the runner shows it: the values the action masks (`::add-mask::`) are not
 * shown, and never reach your terminal; warnings and errors read "Warning: …" and "Error: …", and
 * debug lines are shown only with RUNNER_DEBUG=1.
 * AWS credentials and region settings come from your environment as for the AWS CLI (AWS_PROFILE,
 * AWS_ACCESS_KEY_ID, an SSO session, ...); nothing else of yours is read or written.
 *
 * Runs under node 24 with type stripping (scripts/with-node24.js chooses which node 24).
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { load } from 'js-yaml'
import { findNode24 } from './node24.js'
import { parseOutputs } from './runner-files.ts'

const root = resolve(fileURLToPath(new URL('..', import.meta.url)))
const declared = Object.keys(
  (load(readFileSync(join(root, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> })
    .inputs
)

/** The inputs given as --name value or --name=value; an error names what is wrong. */
export function parseInputs(
  args: string[]
): { inputs: Record<string, string> } | { error: string } {
  const inputs: Record<string, string> = {}
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? ''
    const named = /^--([a-z0-9-]+)(?:=(.*))?$/s.exec(arg)
    if (named?.[1] === undefined)
      return {
        error: `${JSON.stringify(arg)} is not --<input> <value>; for example --domain auth.example.com`
      }
    const name = named[1]
    if (!declared.includes(name))
      return {
        error: `--${name} is not an input of the action; its inputs: ${declared.join(', ')}`
      }
    const value = named[2] ?? args[++i]
    if (value === undefined) return { error: `--${name} has no value` }
    inputs[name] = value
  }
  if (inputs.domain === undefined || inputs['user-pool-id'] === undefined)
    return {
      error:
        'Give at least --domain and --user-pool-id (and what to change, such as --certificate-arn).'
    }
  return { inputs: { 'dry-run': 'true', ...inputs } }
}

/**
 * A line of the action's log as the runner shows it: masks registered, not shown; debug lines only
 * with RUNNER_DEBUG=1 (as with a job's debug logging); a warning or an error as "Warning: …" or
 * "Error: …", its line breaks restored. Undefined for a line the runner does not show.
 */
export function shownLine(line: string, debug: boolean): string | undefined {
  if (line.startsWith('::add-mask::')) return undefined
  const command = /^::(debug|notice|warning|error)(?: [^:]*)?::(.*)$/s.exec(line)
  if (command === null) return line
  const [, kind = '', escaped = ''] = command
  const message = escaped.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
  if (kind === 'debug') return debug ? `Debug: ${message}` : undefined
  return `${kind.charAt(0).toUpperCase()}${kind.slice(1)}: ${message}`
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const parsed = parseInputs(process.argv.slice(2))
  if ('error' in parsed) {
    console.error(parsed.error)
    process.exit(2)
  }
  const node24 = findNode24()
  if ('problem' in node24) {
    console.error(node24.problem)
    process.exit(1)
  }
  const dir = mkdtempSync(join(tmpdir(), 'cognito-domain-cert-'))
  const outputFile = join(dir, 'output')
  const summaryFile = join(dir, 'summary')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    // npm runs scripts in the project's folder; a relative path means the folder npm started in.
    GITHUB_WORKSPACE: process.env.INIT_CWD ?? process.cwd()
  }
  for (const [name, value] of Object.entries(parsed.inputs))
    env[`INPUT_${name.toUpperCase()}`] = value
  if (parsed.inputs['dry-run'] === 'true')
    console.log('A dry run: nothing is changed (give --dry-run false to make the change).\n')
  const child = spawn(node24.path, [join(root, 'dist', 'index.js')], {
    env,
    stdio: ['ignore', 'pipe', 'inherit']
  })
  // As the runner does: a value the action masks is registered, never shown.
  const debug = process.env.RUNNER_DEBUG === '1'
  const write = (line: string) => {
    const shown = shownLine(line, debug)
    if (shown !== undefined) process.stdout.write(`${shown}\n`)
  }
  let pending = ''
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString()).split('\n')
    pending = lines.pop() ?? ''
    for (const line of lines) write(line)
  })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal))
  child.on('close', (code) => {
    if (pending !== '') write(pending)
    console.log(
      `\nOutputs: ${JSON.stringify(parseOutputs(readFileSync(outputFile, 'utf8')), null, 2)}`
    )
    const summary = readFileSync(summaryFile, 'utf8')
      .replace(/<br>/g, ' ')
      .replace(/<tr><th>.*?<\/tr>/g, '')
      .replace(/<tr><td>(.*?)<\/td><td>(.*?)<\/td><\/tr>/g, '$1: $2\n')
      .replace(/<\/(h2|p)>/g, '\n')
      .replace(/<[^>]+>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#124;/g, '|')
      .replace(/&amp;/g, '&')
    console.log(`\nJob summary:\n${summary}`)
    rmSync(dir, { recursive: true, force: true })
    process.exit(code ?? 1)
  })
}
