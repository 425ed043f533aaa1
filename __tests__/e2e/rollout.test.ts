import { afterEach, expect, test } from '@jest/globals'
import { serviceError, type Json, type Reply } from '../support/endpoint.ts'
import { DOMAIN } from '../support/fixtures.ts'
import { startHttpProxy, type HttpProxy } from '../support/http-proxy.ts'
import { useScenario, withStatus } from '../support/scenario.ts'
import { startTlsServer, type TlsServer } from '../support/tls-server.ts'
import { colonHex } from '../../src/aws/tls.js'

// wait-for-rollout end to end: polls of moto's domain answered as Cognito would, a real TLS edge
// reached through the runner's proxy, and a rollback that moto carries out. Each decision of the
// wait and of the rollback is tested in virtual time in __tests__/flow/wait.test.ts and
// rollback.test.ts.
const scenario = useScenario()
let edge: TlsServer | undefined
let proxy: HttpProxy | undefined
afterEach(async () => {
  await edge?.close()
  await proxy?.close()
  edge = undefined
  proxy = undefined
})

/** moto's own answer, unchanged: after the UPDATING ones, it says ACTIVE on what it stores. */
const moto: Reply = { delayMs: 0 }

test('followed to the edge: a throttled poll slows the polling, UPDATING → ACTIVE, and the edge, read through HTTPS_PROXY with the domain as SNI, moves from the old certificate to the new one', async () => {
  const pool = await scenario.poolWithDomain()
  scenario.endpoint.queue(
    'DescribeUserPoolDomain',
    moto, // the describe before the change
    serviceError('TooManyRequestsException', 'Rate exceeded'),
    withStatus('UPDATING')
  )
  // The edge serves the old certificate to the first probe, the new one from then on.
  edge = await startTlsServer([
    scenario.pemsOf(scenario.oldCert),
    scenario.pemsOf(scenario.newCert)
  ])
  proxy = await startHttpProxy()

  const run = await scenario.rotate(
    pool,
    {
      'wait-for-rollout': 'true',
      'poll-interval-seconds': '1',
      'wait-timeout-minutes': '0.5',
      'tls-endpoint': edge.endpoint
    },
    { HTTPS_PROXY: proxy.url }
  )

  expect(run.errors).toEqual([])
  expect(run.exitCode).toBe(0)
  const newSerial = colonHex(scenario.pemsOf(scenario.newCert).serialHex)
  expect(run.outputs).toMatchObject({
    changed: 'true',
    status: 'ACTIVE',
    'served-certificate-serial': newSerial
  })
  // Polls at 0 s (throttled), 2 s and 4 s (at the interval the throttling doubled), probes at 4 and 5 s.
  expect(Number(run.outputs['rollout-seconds'])).toBeGreaterThanOrEqual(5)
  expect(run.lines.join('\n')).toContain(
    'Cognito throttled the poll (TooManyRequestsException); next poll in 2 s'
  )
  // The describe before the change, the throttled poll, UPDATING, ACTIVE: the poller never retries
  // within a poll.
  expect(scenario.endpoint.requests('DescribeUserPoolDomain')).toHaveLength(4)
  const statuses = run.lines.flatMap(
    (line) => /^Rollout \d+:\d\d: status (\w+)/.exec(line)?.[1] ?? []
  )
  expect(statuses).toEqual(['UPDATING', 'ACTIVE'])
  const served = run.lines.filter((line) => /^TLS \d+:\d\d: served serial/.test(line))
  expect(served).toHaveLength(2)
  expect(served[0]).toMatch(/: not the new certificate yet$/)
  expect(served[1]).toContain(`${newSerial} (CN ${DOMAIN}`)
  expect(served[1]).toMatch(/: the new certificate$/)
  expect(edge.servernames).toEqual([DOMAIN, DOMAIN])
  expect(proxy.carried).toEqual([`CONNECT ${edge.endpoint}`, `CONNECT ${edge.endpoint}`])
  expect(run.summary).toContain('served at the edge')
})

test('rollback-on-failure puts back what this run changed, keeps a security policy set by someone else since, and waits for it', async () => {
  const pool = await scenario.poolWithDomain('eu-west-1', {
    CertificateArn: scenario.oldCert,
    SecurityPolicy: 'TLS_V1_2_2021'
  })
  // Someone else sets this run's certificate with TLS 1.3, and the rollout is FAILED.
  scenario.endpoint.queue('DescribeUserPoolDomain', moto, {
    act: async () => {
      await scenario.moto.call('eu-west-1', 'UpdateUserPoolDomain', {
        UserPoolId: pool,
        Domain: DOMAIN,
        CustomDomainConfig: { CertificateArn: scenario.newCert, SecurityPolicy: 'TLS_V1_3_2025' }
      })
    },
    reply: withStatus('FAILED')
  })

  const run = await scenario.rotate(pool, {
    'wait-for-rollout': 'true',
    'poll-interval-seconds': '1',
    'wait-timeout-minutes': '0.3',
    'verify-tls': 'false',
    'rollback-on-failure': 'true'
  })

  expect(run.exitCode).toBe(1)
  const updates = scenario.endpoint.requests('UpdateUserPoolDomain')
  expect(updates.map((update) => update.body.CustomDomainConfig as Json)).toEqual([
    { CertificateArn: scenario.newCert, SecurityPolicy: 'TLS_V1_2_2021' },
    { CertificateArn: scenario.oldCert, SecurityPolicy: 'TLS_V1_3_2025' }
  ])
  expect((await scenario.moto.storedDomain(DOMAIN))?.custom_domain_config).toEqual({
    CertificateArn: scenario.oldCert,
    SecurityPolicy: 'TLS_V1_3_2025'
  })
  expect(run.errors[0]).toContain('Cognito reports the domain FAILED')
  expect(run.errors[0]).toContain(
    `Rolled back: the domain is ACTIVE again on certificate ${scenario.oldCert}`
  )
  expect(run.outputs).toMatchObject({ status: 'ACTIVE', 'certificate-arn': scenario.oldCert })
  expect(run.summary).toContain('Failed; rolled back')
})
