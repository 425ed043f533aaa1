import { describe, expect, test } from '@jest/globals'
import {
  action,
  CREDENTIALS,
  examples,
  markdown,
  read,
  THIS_ACTION,
  workflows,
  yamlBlocks,
  type Step,
  type Workflow
} from '../support/workflows.ts'

/**
 * The workflows users copy: examples/*.yml, and the ```yaml blocks of README.md and docs/*.md that
 * are whole workflows. Each is a valid workflow as far as a YAML reading can tell; every use of
 * this action gives only inputs action.yml declares, with the required ones and the permissions
 * its options need; and every job that uses it has a timeout and a role session that outlast its
 * wait and its rollback. Across all of them and the step snippets of the docs, this action is
 * named by one address and major version, and each third-party action by one pinned commit.
 */
const isThisAction = (step: Step) => step.uses?.includes('/cognito-domain-cert@') === true

describe.each(workflows)('%s', (_where, workflow) => {
  test('is a workflow: a name, triggers, and jobs with a runner and steps', () => {
    expect(typeof workflow.name).toBe('string')
    expect(workflow.on).toBeDefined()
    const jobs = Object.values(workflow.jobs ?? {})
    expect(jobs.length).toBeGreaterThan(0)
    for (const job of jobs) {
      expect(job['runs-on']).toBeDefined()
      expect(job.steps?.length).toBeGreaterThan(0)
      for (const step of job.steps ?? []) expect(step.uses ?? step.run).toBeDefined()
    }
  })

  test('uses this action with declared inputs only, the required ones, and the permissions they need', () => {
    const uses = Object.values(workflow.jobs ?? {}).flatMap((job) =>
      (job.steps ?? []).filter(isThisAction).map((step) => ({ job, inputs: step.with ?? {} }))
    )
    expect(uses.length).toBeGreaterThan(0)
    const declared = Object.keys(action.inputs)
    for (const { job, inputs } of uses) {
      for (const name of Object.keys(inputs)) expect(declared).toContain(name)
      expect(inputs).toHaveProperty('domain')
      expect(inputs).toHaveProperty('user-pool-id')
      const permissions = { ...workflow.permissions, ...job.permissions }
      if ('github-token' in inputs) expect(permissions.deployments).toBe('write')
      expect(permissions['id-token']).toBe('write')
    }
  })

  test("each job's timeout-minutes and role session outlast its wait and its rollback", () => {
    expect(timeProblems(workflow)).toEqual([])
  })
})

test('every yaml block of README.md that uses this action is a whole workflow', () => {
  const snippets = yamlBlocks(read('README.md')).filter(
    (block) => block.includes('/cognito-domain-cert@') && !/^jobs:/m.test(block)
  )
  expect(snippets).toEqual([])
})

/** A number written as such in the workflow, or undefined (an expression, a string, nothing). */
function literal(value: unknown): number | undefined {
  if (typeof value === 'number') return value
  if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value)) return Number(value)
  return undefined
}

/** A boolean input as the action reads it. */
function isTrue(value: unknown): boolean {
  return value === true || value === 'true' || value === 'True' || value === 'TRUE'
}

/**
 * The rule of README's Usage: a job that uses this action has a timeout-minutes of at least its
 * waits (wait-timeout-minutes with wait-for-rollout), as much again for each rollback
 * (rollback-on-failure), and 10 minutes for the rest; configure-aws-credentials, before it, asks
 * for a role session of at least that timeout (and 900 to 43200 s, what STS grants).
 */
function timeProblems(workflow: Workflow): string[] {
  const problems: string[] = []
  for (const [name, job] of Object.entries(workflow.jobs ?? {})) {
    const steps = job.steps ?? []
    const first = steps.findIndex(isThisAction)
    if (first < 0) continue
    let needed = 10
    for (const step of steps.filter(isThisAction)) {
      const inputs = step.with ?? {}
      if (!isTrue(inputs['wait-for-rollout'])) continue
      const given = inputs['wait-timeout-minutes'] ?? action.inputs['wait-timeout-minutes']?.default
      const wait = literal(given)
      if (wait === undefined) {
        problems.push(`${name}: wait-timeout-minutes is not a number: ${JSON.stringify(given)}`)
        continue
      }
      needed += isTrue(inputs['rollback-on-failure']) ? 2 * wait : wait
    }
    const timeout = literal(job['timeout-minutes'])
    if (timeout === undefined) problems.push(`${name}: no timeout-minutes (at least ${needed})`)
    else if (timeout < needed)
      problems.push(`${name}: timeout-minutes ${timeout} < ${needed} (waits, rollbacks, 10 min)`)
    const credentials = steps
      .slice(0, first)
      .filter((step) => step.uses?.startsWith(`${CREDENTIALS}@`) === true)
    if (credentials.length === 0)
      problems.push(`${name}: no ${CREDENTIALS} step before this action`)
    for (const step of credentials) {
      const seconds = literal(step.with?.['role-duration-seconds'])
      const least = Math.max(900, (timeout ?? needed) * 60)
      if (seconds === undefined)
        problems.push(`${name}: no role-duration-seconds (at least ${least})`)
      else if (seconds < least || seconds > 43_200)
        problems.push(`${name}: role-duration-seconds ${seconds}, not from ${least} to 43200`)
    }
  }
  return problems
}

describe('the timeout rule catches', () => {
  const job = (timeout: unknown, seconds: unknown, inputs: Record<string, unknown>): Workflow => ({
    jobs: {
      rotate: {
        'timeout-minutes': timeout,
        steps: [
          { uses: `${CREDENTIALS}@x`, with: { 'role-duration-seconds': seconds } },
          { uses: THIS_ACTION, with: inputs }
        ]
      }
    }
  })
  const waitAndRollback = { 'wait-for-rollout': true, 'rollback-on-failure': 'true' }

  test.each([
    [
      'a wait and a rollback in 120 minutes',
      job(120, 9000, waitAndRollback),
      'timeout-minutes 120 < 130'
    ],
    ['a longer wait', job(150, 9000, { ...waitAndRollback, 'wait-timeout-minutes': 90 }), '< 190'],
    [
      'a session shorter than the job',
      job(150, 7800, waitAndRollback),
      'role-duration-seconds 7800'
    ],
    ['no timeout', job(undefined, 900, { 'dry-run': true }), 'no timeout-minutes'],
    ['no session', job(10, undefined, { 'dry-run': true }), 'no role-duration-seconds'],
    ['a session STS does not grant', job(10, 600, { 'dry-run': true }), 'not from 900'],
    [
      'a wait of unknown length',
      job(150, 9000, { 'wait-for-rollout': true, 'wait-timeout-minutes': '${{ vars.W }}' }),
      'not a number'
    ]
  ])('%s', (_what, workflow, problem) => {
    expect(timeProblems(workflow).join('\n')).toContain(problem)
  })

  test('and lets through what the rule allows', () => {
    expect(timeProblems(job(130, 7800, waitAndRollback))).toEqual([])
    expect(timeProblems(job(70, 4200, { 'wait-for-rollout': 'true' }))).toEqual([])
    expect(timeProblems(job(10, 900, { 'dry-run': true }))).toEqual([])
  })
})

/** Every `uses:` in a text (a workflow, or Markdown with yaml blocks), with its version comment. */
function usesIn(text: string): { action: string; ref: string; comment: string }[] {
  return [...text.matchAll(/^\s*(?:-\s+)?uses:\s*([^\s@#]+)@(\S+)(?:\s+#\s*(.*))?$/gm)].map(
    (match) => ({ action: match[1] ?? '', ref: match[2] ?? '', comment: (match[3] ?? '').trim() })
  )
}

/** Where the files disagree on how an action is named; empty when they agree. */
function usesProblems(files: [string, string][]): string[] {
  const problems: string[] = []
  const refs = new Map<string, Set<string>>()
  for (const [file, text] of files) {
    // This action, in a uses: line or named in the text: one address, one major version.
    for (const named of text.matchAll(/[\w.-]+\/cognito-domain-cert@[\w.-]+/g))
      if (named[0] !== THIS_ACTION) problems.push(`${file}: ${named[0]}, not ${THIS_ACTION}`)
    for (const { action: name, ref, comment } of usesIn(text)) {
      if (name.endsWith('/cognito-domain-cert')) continue
      if (!/^[0-9a-f]{40}$/.test(ref) || !/^v\d+\.\d+\.\d+$/.test(comment))
        problems.push(`${file}: ${name}@${ref} is not pinned as <commit SHA> # vX.Y.Z`)
      const seen = refs.get(name) ?? new Set<string>()
      refs.set(name, seen.add(`${ref} # ${comment}`))
    }
  }
  for (const [name, seen] of refs)
    if (seen.size > 1) problems.push(`${name} is named ${seen.size} ways: ${[...seen].join(', ')}`)
  return problems
}

describe('README.md, docs/ and examples/ name every action one way', () => {
  const files: [string, string][] = [...markdown, ...examples].map((file) => [file, read(file)])

  test(`this action as ${THIS_ACTION}, and each third-party action by one pinned commit`, () => {
    expect(usesProblems(files)).toEqual([])
    const credentials = files.flatMap(([, text]) =>
      usesIn(text).filter((uses) => uses.action === CREDENTIALS)
    )
    expect(credentials.length).toBeGreaterThanOrEqual(examples.length)
  })

  test('the check fails on another major version, or a second ref of a third-party action', () => {
    const v2 = 'steps:\n  - uses: your-org/cognito-domain-cert@v2\n'
    expect(usesProblems([...files, ['v2.yml', v2]])).toEqual([
      `v2.yml: your-org/cognito-domain-cert@v2, not ${THIS_ACTION}`
    ])
    const tag = `steps:\n  - uses: ${CREDENTIALS}@v6\n`
    expect(usesProblems([...files, ['tag.yml', tag]])).toEqual([
      `tag.yml: ${CREDENTIALS}@v6 is not pinned as <commit SHA> # vX.Y.Z`,
      expect.stringMatching(new RegExp(`^${CREDENTIALS} is named 2 ways`))
    ])
  })
})

test('action.yml marks required exactly the inputs a run cannot do without', () => {
  const required = Object.entries(action.inputs)
    .filter(([, input]) => input.required === true)
    .map(([name]) => name)
  expect(required).toEqual(['domain', 'user-pool-id'])
})
