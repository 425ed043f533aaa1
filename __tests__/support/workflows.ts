import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { load } from 'js-yaml'

/**
 * The workflows users copy: examples/*.yml, and the ```yaml blocks of README.md and docs/*.md that
 * are whole workflows, each with where it is written.
 */
export type Step = { uses?: string; run?: string; with?: Record<string, unknown> }
export type Job = {
  'runs-on'?: unknown
  environment?: unknown
  strategy?: { matrix?: { include?: Record<string, unknown>[] } }
  'timeout-minutes'?: unknown
  steps?: Step[]
  permissions?: Record<string, string>
}
export type Workflow = {
  name?: string
  on?: unknown
  permissions?: Record<string, string>
  jobs?: Record<string, Job>
}

export const root = new URL('../../', import.meta.url)
export const read = (path: string) => readFileSync(new URL(path, root), 'utf8')
export const action = load(read('action.yml')) as {
  inputs: Record<string, { required?: boolean; default?: string }>
}

/** This action, as users name it. */
export const THIS_ACTION = 'your-org/cognito-domain-cert@v1'
export const CREDENTIALS = 'aws-actions/configure-aws-credentials'

export const examples = readdirSync(new URL('examples/', root))
  .filter((name) => name.endsWith('.yml'))
  .map((name) => `examples/${name}`)
export const markdown = [
  'README.md',
  ...(existsSync(new URL('docs/', root))
    ? readdirSync(new URL('docs/', root))
        .filter((name) => name.endsWith('.md'))
        .map((name) => `docs/${name}`)
    : [])
]

/** The ```yaml blocks of a Markdown text. */
export function yamlBlocks(text: string): string[] {
  return [...text.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? '')
}

/** Every workflow users may copy, with where it is written. */
export const workflows: [string, Workflow][] = [
  ...examples.map((file): [string, Workflow] => [file, load(read(file)) as Workflow]),
  ...markdown.flatMap((file) =>
    yamlBlocks(read(file))
      .map((block) => load(block))
      .filter((parsed): parsed is Workflow => typeof parsed === 'object' && parsed !== null)
      .filter((parsed) => 'jobs' in parsed)
      .map((parsed, index): [string, Workflow] => [`${file} (workflow ${index + 1})`, parsed])
  )
]

/** Whether a step uses this action. */
export const isThisAction = (step: Step): boolean =>
  step.uses?.includes('/cognito-domain-cert@') === true
