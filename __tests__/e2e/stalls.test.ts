import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { createServer, type Server, type Socket } from 'node:net'
import { DOMAIN } from '../support/fixtures.ts'
import { listenLocally } from '../support/listen.ts'
import { useScenario } from '../support/scenario.ts'

// Answers that stall as they do in the wild: the headers arrive and the body stops (a half-open
// connection, a proxy that stalls), or the body trickles in. Each is bounded by
// attempt-timeout-seconds, and a wait by wait-timeout-minutes, however it stalls. The bounds are
// asserted on the measured time of the whole run (node's start included).
const scenario = useScenario()
let pool = ''
beforeEach(async () => {
  pool = await scenario.poolWithDomain()
})

/** Node's start, the inputs and the setup calls around the stall. */
const OVERHEAD_S = 4

describe('a stalled answer ends at attempt-timeout-seconds', () => {
  test('a body that stops halfway: the only attempt is cut off, and the run ends', async () => {
    scenario.endpoint.queue('DescribeUserPoolDomain', { stallBody: true })

    const run = await scenario.rotate(pool, {
      'max-attempts': '1',
      'attempt-timeout-seconds': '3'
    })

    expect(run.exitCode).toBe(1)
    expect(run.seconds).toBeGreaterThanOrEqual(3)
    expect(run.seconds).toBeLessThan(3 + OVERHEAD_S)
    expect(run.errors[0]).toContain(
      `DescribeUserPoolDomain for domain ${DOMAIN} (user pool ${pool}, eu-west-1): no complete answer from the endpoint in AWS_ENDPOINT_URL (${scenario.endpoint.url}) within attempt-timeout-seconds (3 s)`
    )
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toEqual([])
    expect(await scenario.storedCertificate()).toBe(scenario.oldCert)
  })

  test('a body that trickles in a byte a second is cut off too, and the retry goes through', async () => {
    scenario.endpoint.queue('DescribeUserPoolDomain', { stallBody: true, trickleMs: 1_000 })

    const run = await scenario.rotate(pool, {
      'max-attempts': '2',
      'attempt-timeout-seconds': '3'
    })

    expect(run.exitCode).toBe(0)
    expect(run.lines).toContainEqual(
      expect.stringMatching(
        /^DescribeUserPoolDomain: attempt 2 of 2 after \d+\.\d s, because no complete answer came within 3 s/
      )
    )
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
      'attempt-timeout-seconds': '2'
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

  test('polls whose bodies stall: the step ends when wait-timeout-minutes (0.5) runs out', async () => {
    // The describe before the change goes through; every poll after it stalls halfway.
    scenario.endpoint.queue('DescribeUserPoolDomain', { delayMs: 0 })
    scenario.endpoint.always('DescribeUserPoolDomain', { stallBody: true })

    const run = await scenario.rotate(pool, {
      'wait-for-rollout': 'true',
      'wait-timeout-minutes': '0.5',
      'poll-interval-seconds': '1',
      'verify-tls': 'false'
    })

    expect(run.exitCode).toBe(1)
    // 30 s from the change, and within one attempt's deadline (15 s) of it: here, at once.
    expect(run.seconds).toBeGreaterThanOrEqual(30)
    expect(run.seconds).toBeLessThan(30 + OVERHEAD_S)
    expect(run.errors[0]).toContain('when wait-timeout-minutes ran out')
    expect(run.errors[0]).toContain(
      `To roll back, run this action again with certificate-arn: ${scenario.oldCert}`
    )
    expect(run.lines).toContainEqual(
      expect.stringMatching(/^Rollout 0:\d\d: the poll failed \(ETIMEDOUT\)/)
    )
  }, 60_000)

  test('an edge that accepts the connection and never answers: probes end at their deadline, the wait at its own', async () => {
    edge = await silentEdge()

    const run = await scenario.rotate(pool, {
      'wait-for-rollout': 'true',
      'wait-timeout-minutes': '0.2',
      'poll-interval-seconds': '1',
      'attempt-timeout-seconds': '5',
      'tls-endpoint': edge.endpoint
    })

    expect(run.exitCode).toBe(1)
    expect(run.seconds).toBeGreaterThanOrEqual(12)
    expect(run.seconds).toBeLessThan(12 + OVERHEAD_S)
    expect(run.lines).toContainEqual(
      expect.stringContaining(
        'the TLS connection failed (no TLS handshake within 5 s (attempt-timeout-seconds))'
      )
    )
    // Never reached: that is not a wrong certificate, and says so.
    expect(run.errors[0]).toContain('no probe reached the edge to see what it serves')
  }, 40_000)
})
