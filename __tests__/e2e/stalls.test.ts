import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { createServer, type Server, type Socket } from 'node:net'
import { DOMAIN } from '../support/fixtures.ts'
import { listenLocally } from '../support/listen.ts'
import { useScenario } from '../support/scenario.ts'

// Answers that stall on real sockets as they do in the wild: no answer at all, headers and then a
// body that stops (a half-open connection, a proxy that stalls), a body that trickles in, a TLS
// edge that accepts the connection and says nothing. Each is bounded by attempt-timeout-seconds,
// and a wait by wait-timeout-minutes, however it stalls; the deadlines are the smallest the inputs
// take, and the default (15 s) is proven once. The bounds are asserted on the measured time of
// the whole run, node's start included.
const scenario = useScenario()
let pool = ''
beforeEach(async () => {
  pool = await scenario.poolWithDomain()
})

/** Node's start, the inputs and the calls around the stall, on a machine busy with other tests. */
const OVERHEAD_S = 5

describe('a stalled answer ends at attempt-timeout-seconds', () => {
  test('a body that stops halfway: the only attempt is cut off, and the run ends', async () => {
    scenario.endpoint.queue('DescribeUserPoolDomain', { stallBody: true })

    const run = await scenario.rotate(pool, {
      'max-attempts': '1',
      'attempt-timeout-seconds': '1'
    })

    expect(run.exitCode).toBe(1)
    expect(run.seconds).toBeGreaterThanOrEqual(1)
    expect(run.seconds).toBeLessThan(1 + OVERHEAD_S)
    expect(run.errors[0]).toContain(
      `DescribeUserPoolDomain for domain ${DOMAIN} (user pool ${pool}, eu-west-1): no complete answer from the endpoint in AWS_ENDPOINT_URL (${scenario.endpoint.url}) within attempt-timeout-seconds (1 s)`
    )
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toEqual([])
    expect(await scenario.storedCertificate()).toBe(scenario.oldCert)
  })

  test('no answer at all, then a body that trickles in byte by byte: both are cut off, and the third attempt goes through', async () => {
    scenario.endpoint.queue(
      'DescribeUserPoolDomain',
      { stall: true },
      // A byte every 200 ms keeps the connection busy; the whole answer would take a minute.
      { stallBody: true, trickleMs: 200 }
    )

    const run = await scenario.rotate(pool, {
      'max-attempts': '3',
      'attempt-timeout-seconds': '1'
    })

    expect(run.exitCode).toBe(0)
    expect(scenario.endpoint.requests('DescribeUserPoolDomain')).toHaveLength(3)
    expect(run.lines.filter((line) => line.startsWith('DescribeUserPoolDomain: attempt'))).toEqual([
      expect.stringMatching(
        /^DescribeUserPoolDomain: attempt 2 of 3 after \d+\.\d s, because no complete answer came within 1 s \(attempt-timeout-seconds; ETIMEDOUT\)$/
      ),
      expect.stringMatching(
        /^DescribeUserPoolDomain: attempt 3 of 3 after \d+\.\d s, because no complete answer came within 1 s/
      )
    ])
    expect(run.seconds).toBeGreaterThan(2)
    expect(await scenario.storedCertificate()).toBe(scenario.newCert)
  })

  test('with the default deadline (15 s), an ACM answer that stalls ends the run in bounded time', async () => {
    scenario.endpoint.always('DescribeCertificate', { stallBody: true })

    const run = await scenario.rotate(pool, { 'max-attempts': '1' })

    expect(run.exitCode).toBe(1)
    expect(run.seconds).toBeGreaterThanOrEqual(15)
    expect(run.seconds).toBeLessThan(15 + OVERHEAD_S)
    expect(run.errors[0]).toContain('within attempt-timeout-seconds (15 s)')
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toEqual([])
  }, 40_000)

  test('an update whose answer stalls: the change may be on the domain, so it is looked up, and it is', async () => {
    // moto carries the update out; its answer then stalls halfway.
    scenario.endpoint.queue('UpdateUserPoolDomain', { stallBody: true })

    const run = await scenario.rotate(pool, {
      'max-attempts': '1',
      'attempt-timeout-seconds': '1'
    })

    expect(run.exitCode).toBe(0)
    expect(run.warnings.join('\n')).toContain(
      `UpdateUserPoolDomain reported a failure, but the domain now carries this run's change: certificate ${scenario.newCert}`
    )
    expect(run.outputs.changed).toBe('true')
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toHaveLength(1)
    expect(await scenario.storedCertificate()).toBe(scenario.newCert)
  })
})

/** A TCP server that accepts connections and never says anything: a TLS edge that stalls. */
async function silentEdge(): Promise<{ endpoint: string; close: () => Promise<void> }> {
  const sockets: Socket[] = []
  const server: Server = createServer((socket) => sockets.push(socket))
  const { port, close } = await listenLocally(server)
  return {
    endpoint: `127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await close()
    }
  }
}

describe('the wait is one deadline from the moment the change is sent', () => {
  let edge: Awaited<ReturnType<typeof silentEdge>> | undefined
  afterEach(async () => {
    await edge?.close()
    edge = undefined
  })

  test('polls whose bodies stall: each ends at its deadline, the one in flight at the end by wait-timeout-minutes (0.1)', async () => {
    // The describe before the change goes through; every poll after it stalls halfway.
    scenario.endpoint.queue('DescribeUserPoolDomain', { delayMs: 0 })
    scenario.endpoint.always('DescribeUserPoolDomain', { stallBody: true })

    // Polls at 0 s (cut off at 4 s) and at 5 s (cut off by the wait's end at 6 s).
    const run = await scenario.rotate(pool, {
      'wait-for-rollout': 'true',
      'wait-timeout-minutes': '0.1',
      'poll-interval-seconds': '1',
      'attempt-timeout-seconds': '4',
      'verify-tls': 'false'
    })

    expect(run.exitCode).toBe(1)
    expect(run.seconds).toBeGreaterThanOrEqual(6)
    expect(run.seconds).toBeLessThan(6 + OVERHEAD_S)
    expect(run.errors[0]).toContain('when wait-timeout-minutes ran out')
    expect(run.errors[0]).toContain(
      `To roll back, run this action again with certificate-arn: ${scenario.oldCert}`
    )
    expect(run.lines).toContainEqual(
      expect.stringMatching(/^Rollout 0:\d\d: the poll failed \(ETIMEDOUT\)/)
    )
  })

  test('an edge that accepts the connection and never answers: probes end at their deadline, the wait at its own, and no rollback is sent for it', async () => {
    edge = await silentEdge()

    const run = await scenario.rotate(pool, {
      'wait-for-rollout': 'true',
      'wait-timeout-minutes': '0.1',
      'poll-interval-seconds': '1',
      'attempt-timeout-seconds': '2',
      'tls-endpoint': edge.endpoint,
      'rollback-on-failure': 'true'
    })

    expect(run.exitCode).toBe(1)
    expect(run.seconds).toBeGreaterThanOrEqual(6)
    expect(run.seconds).toBeLessThan(6 + OVERHEAD_S)
    expect(run.lines).toContainEqual(
      expect.stringContaining(
        'the TLS connection failed (no TLS handshake within 2 s (attempt-timeout-seconds))'
      )
    )
    // Never reached: that is not a wrong certificate, and says so.
    expect(run.errors[0]).toContain('no probe reached the edge to see what it serves')
    // Nor a reason to undo a change Cognito has ACTIVE.
    expect(run.errors[0]).toContain('Not rolled back: Cognito has the change ACTIVE')
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toHaveLength(1)
    expect(await scenario.storedCertificate()).toBe(scenario.newCert)
  })
})
