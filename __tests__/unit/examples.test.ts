import { describe, expect, test } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { load } from 'js-yaml'

/**
 * The workflows in examples/ are valid GitHub Actions workflows as far as a YAML reading can
 * tell, and every use of this action gives only inputs action.yml declares, with the required
 * ones and the permissions its options need.
 */
type Step = { uses?: string; run?: string; with?: Record<string, unknown> }
type Job = { 'runs-on'?: unknown; steps?: Step[]; permissions?: Record<string, string> }
type Workflow = {
  name?: string
  on?: unknown
  permissions?: Record<string, string>
  jobs?: Record<string, Job>
}

const root = new URL('../../', import.meta.url)
const action = load(readFileSync(new URL('action.yml', root), 'utf8')) as {
  inputs: Record<string, { required?: boolean }>
}
const examples = readdirSync(new URL('examples/', root)).filter((name) => name.endsWith('.yml'))

describe.each(examples)('examples/%s', (file) => {
  const workflow = load(readFileSync(new URL(`examples/${file}`, root), 'utf8')) as Workflow

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
      (job.steps ?? [])
        .filter((step) => step.uses?.includes('/cognito-domain-cert@') === true)
        .map((step) => ({ job, inputs: step.with ?? {} }))
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
})

test('action.yml marks required exactly the inputs a run cannot do without', () => {
  const required = Object.entries(action.inputs)
    .filter(([, input]) => input.required === true)
    .map(([name]) => name)
  expect(required).toEqual(['domain', 'user-pool-id'])
})
