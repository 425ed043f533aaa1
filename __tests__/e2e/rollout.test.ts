import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { serviceError, type Reply } from '../support/endpoint.ts'
import { DOMAIN } from '../support/fixtures.ts'
import { startHttpProxy } from '../support/http-proxy.ts'
import { useScenario, withStatus } from '../support/scenario.ts'
import { startTlsServer, type TlsServer } from '../support/tls-server.ts'
import { colonHex } from '../../src/aws/tls.js'

const scenario = useScenario()
let pool = ''
let edge: TlsServer | undefined
beforeEach(async () => {
  pool = await scenario.poolWithDomain()
})
afterEach(async () => {
  await edge?.close()
  edge = undefined
})

/** moto's own answer, unchanged: after the UPDATING ones, it says ACTIVE on what it stores. */
const moto: Reply = { delayMs: 0 }

/** The edge serves the old certificate for `oldCount` connections, then the new one. */
async function edgeServing(oldCount: number, thenNew = true): Promise<TlsServer> {
  const old = scenario.pemsOf(scenario.oldCert)
  const fresh = scenario.pemsOf(scenario.newCert)
  edge = await startTlsServer([
    ...Array<typeof old>(oldCount).fill(old),
    ...(thenNew ? [fresh] : [])
  ])
  return edge
}

const waiting = (endpoint: string, extra: Record<string, string> = {}) => ({
  'wait-for-rollout': 'true',
  'poll-interval-seconds': '1',
  'wait-timeout-minutes': '0.5',
  'tls-endpoint': endpoint,
  ...extra
})

/** The rollback step every failure after a change must give. */
function expectRollbackStep(message: string | undefined): void {
  expect(message).toContain(
    `To roll back, run this action again with certificate-arn: ${scenario.oldCert}`
  )
  expect(message).toContain(
    `  with:\n    domain: ${DOMAIN}\n    user-pool-id: ${pool}\n    certificate-arn: ${scenario.oldCert}`
  )
}

describe('a rollout followed to the edge', () => {
  test('UPDATING → ACTIVE, then the edge moves from the old certificate to the new one', async () => {
    scenario.endpoint.queue(
      'DescribeUserPoolDomain',
      moto,
      withStatus('UPDATING'),
      withStatus('UPDATING')
    )
    const tls = await edgeServing(2)

    const run = await scenario.rotate(pool, waiting(tls.endpoint))

    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    const newSerial = colonHex(scenario.pemsOf(scenario.newCert).serialHex)
    expect(run.outputs).toMatchObject({
      changed: 'true',
      status: 'ACTIVE',
      'served-certificate-serial': newSerial
    })
    expect(Number(run.outputs['rollout-seconds'])).toBeGreaterThanOrEqual(2)
    expect(tls.servernames).toEqual([DOMAIN, DOMAIN, DOMAIN])
    const statuses = run.lines.flatMap(
      (line) => /^Rollout \d+:\d\d: status (\w+)/.exec(line)?.[1] ?? []
    )
    expect(statuses).toEqual(['UPDATING', 'UPDATING', 'ACTIVE'])
    const served = run.lines.filter((line) => /^TLS \d+:\d\d: served serial/.test(line))
    expect(served).toHaveLength(3)
    expect(served.slice(0, 2).every((line) => line.endsWith('not the new certificate yet'))).toBe(
      true
    )
    expect(served[2]).toContain(`${newSerial} (CN ${DOMAIN}`)
    expect(served[2]).toMatch(/: the new certificate$/)
    expect(run.summary).toContain('served at the edge')
  })

  test('with HTTPS_PROXY set, the edge is read through the proxy, with the domain as SNI', async () => {
    const proxy = await startHttpProxy()
    try {
      const tls = await edgeServing(1)

      const run = await scenario.rotate(pool, waiting(tls.endpoint), { HTTPS_PROXY: proxy.url })

      expect(run.errors).toEqual([])
      expect(run.exitCode).toBe(0)
      expect(run.outputs['served-certificate-serial']).toBe(
        colonHex(scenario.pemsOf(scenario.newCert).serialHex)
      )
      expect(tls.servernames).toEqual([DOMAIN, DOMAIN])
      expect(proxy.carried).toEqual([`CONNECT ${tls.endpoint}`, `CONNECT ${tls.endpoint}`])
    } finally {
      await proxy.close()
    }
  })

  test('throttled polls slow down and go on; the poller never retries within a poll', async () => {
    scenario.endpoint.queue(
      'DescribeUserPoolDomain',
      moto,
      serviceError('TooManyRequestsException', 'Rate exceeded'),
      withStatus('UPDATING')
    )

    const run = await scenario.rotate(pool, { ...waiting('unused'), 'verify-tls': 'false' })

    expect(run.exitCode).toBe(0)
    expect(run.lines.join('\n')).toContain(
      'Cognito throttled the poll (TooManyRequestsException); next poll in 2 s'
    )
    // The plan's describe, the throttled poll, UPDATING, ACTIVE: no retry in between.
    expect(scenario.endpoint.requests('DescribeUserPoolDomain')).toHaveLength(4)
    expect(run.outputs.status).toBe('ACTIVE')
    expect(run.outputs['served-certificate-serial']).toBeUndefined()
  })
})

describe('a rollout that fails gives the rollback step', () => {
  test('UPDATING → FAILED', async () => {
    scenario.endpoint.queue('DescribeUserPoolDomain', moto, withStatus('UPDATING'))
    scenario.endpoint.always('DescribeUserPoolDomain', withStatus('FAILED'))

    const run = await scenario.rotate(pool, { ...waiting('unused'), 'verify-tls': 'false' })

    expect(run.exitCode).toBe(1)
    expect(run.outputs.status).toBe('FAILED')
    expect(run.errors[0]).toContain('Cognito reports the domain FAILED')
    expectRollbackStep(run.errors[0])
    expect(await scenario.storedCertificate()).toBe(scenario.newCert)
  })

  test('the time runs out while UPDATING, with at most one poll per interval', async () => {
    scenario.endpoint.queue('DescribeUserPoolDomain', moto)
    scenario.endpoint.always('DescribeUserPoolDomain', withStatus('UPDATING'))

    const run = await scenario.rotate(pool, {
      ...waiting('unused'),
      'wait-timeout-minutes': '0.1',
      'poll-interval-seconds': '2'
    })

    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain('still UPDATING')
    expect(run.errors[0]).toContain('when wait-timeout-minutes ran out')
    expectRollbackStep(run.errors[0])
    // 6 s at one poll per 2 s: polls at 0, 2, 4 and 6 s, plus the plan's describe.
    expect(scenario.endpoint.requests('DescribeUserPoolDomain').length).toBeLessThanOrEqual(5)
    expect(run.outputs.status).toBe('UPDATING')
  })

  test('the edge still serves the old certificate when the time runs out', async () => {
    const tls = await edgeServing(1, false)

    const run = await scenario.rotate(pool, {
      ...waiting(tls.endpoint),
      'wait-timeout-minutes': '0.1'
    })

    expect(run.exitCode).toBe(1)
    const oldSerial = colonHex(scenario.pemsOf(scenario.oldCert).serialHex)
    expect(run.errors[0]).toContain(`it still served serial ${oldSerial}`)
    expectRollbackStep(run.errors[0])
    expect(run.outputs['served-certificate-serial']).toBe(oldSerial)
    expect(run.outputs.status).toBe('ACTIVE')
  })

  test('rollback-on-failure puts the previous certificate back and waits for it', async () => {
    scenario.endpoint.queue(
      'DescribeUserPoolDomain',
      moto,
      withStatus('UPDATING'),
      withStatus('FAILED')
    )

    const run = await scenario.rotate(pool, {
      ...waiting('unused'),
      'verify-tls': 'false',
      'rollback-on-failure': 'true'
    })

    expect(run.exitCode).toBe(1)
    expect(await scenario.storedCertificate()).toBe(scenario.oldCert)
    const updates = scenario.endpoint.requests('UpdateUserPoolDomain')
    expect(updates.map((update) => update.body.CustomDomainConfig)).toEqual([
      { CertificateArn: scenario.newCert },
      { CertificateArn: scenario.oldCert }
    ])
    expect(run.errors[0]).toContain('Cognito reports the domain FAILED')
    expect(run.errors[0]).toContain(
      `Rolled back: the domain is ACTIVE again on certificate ${scenario.oldCert}`
    )
    expect(run.outputs.status).toBe('ACTIVE')
    expect(run.summary).toContain('Failed; rolled back')
  })

  test('cancelled while waiting: says where the domain was left and how to roll back', async () => {
    scenario.endpoint.queue('DescribeUserPoolDomain', moto)
    scenario.endpoint.always('DescribeUserPoolDomain', withStatus('UPDATING'))

    const run = await scenario.rotate(
      pool,
      { ...waiting('unused'), 'verify-tls': 'false' },
      {},
      {
        text: 'Rollout 0:01: status UPDATING',
        signal: 'SIGTERM'
      }
    )

    expect(run.exitCode).toBe(1)
    const said = run.lines.join('\n')
    expect(said).toContain('Cancelled (SIGTERM) while waiting for the rollout')
    expect(said).toContain(`the domain was UPDATING on certificate ${scenario.newCert}`)
    expect(said).toContain(`certificate-arn: ${scenario.oldCert}`)
    expect(run.errors[0]).toContain('Cancelled (SIGTERM)')
    expect(run.summary).toContain('Cancelled while waiting')
  })
})

test('a run that finds the change already on the domain sends nothing, and the wait resumes to the edge', async () => {
  await scenario.moto.setCertificate(pool, DOMAIN, scenario.newCert)
  scenario.endpoint.queue('DescribeUserPoolDomain', moto, withStatus('UPDATING'))
  const tls = await edgeServing(1)

  const run = await scenario.rotate(pool, waiting(tls.endpoint))

  expect(run.errors).toEqual([])
  expect(run.exitCode).toBe(0)
  expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toEqual([])
  expect(run.outputs).toMatchObject({
    changed: 'false',
    status: 'ACTIVE',
    'served-certificate-serial': colonHex(scenario.pemsOf(scenario.newCert).serialHex)
  })
  // The serial came from the certificate already read as the one in use: one read in all.
  expect(scenario.endpoint.requests('DescribeCertificate')).toHaveLength(1)
  expect(run.summary).toContain('No change: the domain already carries it; served at the edge')
})

test('a dry run never waits', async () => {
  const run = await scenario.rotate(pool, { ...waiting('unused'), 'dry-run': 'true' })

  expect(run.exitCode).toBe(0)
  expect(scenario.endpoint.requests('DescribeUserPoolDomain')).toHaveLength(1)
  expect(run.outputs.status).toBeUndefined()
})
