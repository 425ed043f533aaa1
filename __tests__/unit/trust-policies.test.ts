import { describe, expect, test } from '@jest/globals'
import {
  CREDENTIALS,
  isThisAction,
  read,
  workflows,
  type Job,
  type Workflow
} from '../support/workflows.ts'

/**
 * Every workflow users copy (README.md, docs/, examples/) assumes a role whose trust policy, as
 * docs/permissions.md shows it, admits the token of each of its jobs: the `sub` claim GitHub gives
 * a job (its environment, else the ref its trigger runs on) must be one the policy names.
 */
const permissions = read('docs/permissions.md')

/** The `sub` values the JSON block under a heading of docs/permissions.md admits. */
function admitted(heading: string): string[] {
  const at = permissions.indexOf(`### ${heading}`)
  if (at < 0) throw new Error(`docs/permissions.md has no heading "### ${heading}"`)
  const block = /```json\n([\s\S]*?)```/.exec(permissions.slice(at))?.[1] ?? ''
  const policy = JSON.parse(block) as {
    Statement: { Condition: { StringEquals: Record<string, string | string[]> } }[]
  }
  const sub = policy.Statement[0]?.Condition.StringEquals['token.actions.githubusercontent.com:sub']
  return [sub ?? []].flat()
}

/** The trust policy shown for each role, by the role's name. */
const POLICIES: Record<string, string[]> = {
  'cognito-cert-rotation': admitted("The rotation role's trust policy"),
  'cognito-cert-readonly': admitted("The read-only role's trust policy")
}

/** The `sub` claims a job's token may carry: its environment, else each ref its triggers run on. */
function subsOf(workflow: Workflow, job: Job): string[] {
  const repo = 'repo:OWNER/REPO'
  if (typeof job.environment === 'string') return [`${repo}:environment:${job.environment}`]
  const on = workflow.on
  const triggers =
    typeof on === 'string' ? [on] : Array.isArray(on) ? (on as string[]) : Object.keys(on ?? {})
  return triggers.flatMap((trigger) => {
    switch (trigger) {
      case 'schedule':
      case 'workflow_dispatch':
        // Schedules run on the default branch; a run started by hand, on the branch chosen (main).
        return [`${repo}:ref:refs/heads/main`]
      case 'release':
        return [`${repo}:ref:refs/tags/<tag>`]
      case 'pull_request':
        return [`${repo}:pull_request`]
      default:
        return [`${repo}:<${trigger}>`]
    }
  })
}

/** The roles a job assumes before it uses this action, by name (a matrix gives several). */
function rolesOf(job: Job): string[] {
  const steps = job.steps ?? []
  const first = steps.findIndex(isThisAction)
  return steps
    .slice(0, first < 0 ? 0 : first)
    .filter((step) => step.uses?.startsWith(`${CREDENTIALS}@`) === true)
    .flatMap((step) => {
      const role = step.with?.['role-to-assume']
      const given = typeof role === 'string' ? role : ''
      const matrix = /^\$\{\{\s*matrix\.([\w-]+)\s*\}\}$/.exec(given)?.[1]
      const arns =
        matrix === undefined
          ? [given]
          : (job.strategy?.matrix?.include ?? []).map((entry) => String(entry[matrix]))
      return arns.map((arn) => arn.replace(/^.*:role\//, ''))
    })
}

/** What in a workflow its role's trust policy would not admit. */
function denied(workflow: Workflow): string[] {
  return Object.entries(workflow.jobs ?? {}).flatMap(([name, job]) =>
    rolesOf(job).flatMap((role) => {
      const policy = POLICIES[role]
      if (policy === undefined)
        return [`${name}: role ${role} has no trust policy in docs/permissions.md`]
      return subsOf(workflow, job)
        .filter((sub) => !policy.includes(sub))
        .map((sub) => `${name}: ${role} does not admit ${sub}`)
    })
  )
}

test('docs/permissions.md shows a trust policy for each role', () => {
  expect(POLICIES).toEqual({
    'cognito-cert-rotation': [
      'repo:OWNER/REPO:environment:production',
      'repo:OWNER/REPO:ref:refs/heads/main'
    ],
    'cognito-cert-readonly': ['repo:OWNER/REPO:ref:refs/heads/main']
  })
})

describe.each(workflows)('%s', (_where, workflow) => {
  test("the role it assumes trusts each of its jobs' tokens", () => {
    expect(denied(workflow)).toEqual([])
  })
})

test('the check fails on a release job without an environment, and on a role it does not know', () => {
  const job = (environment?: string, role = 'cognito-cert-rotation'): Job => ({
    ...(environment !== undefined && { environment }),
    steps: [
      { uses: `${CREDENTIALS}@x`, with: { 'role-to-assume': `arn:aws:iam::1:role/${role}` } },
      { uses: 'your-org/cognito-domain-cert@v1' }
    ]
  })
  expect(denied({ on: { release: {} }, jobs: { rotate: job() } })).toEqual([
    'rotate: cognito-cert-rotation does not admit repo:OWNER/REPO:ref:refs/tags/<tag>'
  ])
  expect(denied({ on: { release: {} }, jobs: { rotate: job('production') } })).toEqual([])
  expect(denied({ on: 'schedule', jobs: { drift: job(undefined, 'another-role') } })).toEqual([
    'drift: role another-role has no trust policy in docs/permissions.md'
  ])
  expect(
    denied({ on: { push: {} }, jobs: { rotate: job(undefined, 'cognito-cert-readonly') } })
  ).toEqual(['rotate: cognito-cert-readonly does not admit repo:OWNER/REPO:<push>'])
})
