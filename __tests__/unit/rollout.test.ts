import { describe, expect, test } from '@jest/globals'
import { CallFailed } from '../../src/aws/calls.js'
import type { Target } from '../../src/rules/plan.js'
import {
  followRollout,
  type Clock,
  type Observation,
  type Rollout,
  type Timing,
  type Watch
} from '../../src/flow/wait.js'
import { TimeUp } from '../../src/common/time.js'
import type { Served } from '../../src/aws/tls.js'

const NEW = 'arn:aws:acm:us-east-1:123456789012:certificate/new'
const OLD = 'arn:aws:acm:us-east-1:123456789012:certificate/old'
const target: Target = { to: { certificateArn: NEW }, from: { certificateArn: OLD } }
const timing: Timing = { timeoutMs: 60 * 60_000, intervalMs: 15_000 }

/** A clock that only moves when the rollout sleeps. */
function fakeClock(): Clock & { sleeps: number[] } {
  let now = 1_000_000
  const sleeps: number[] = []
  return {
    sleeps,
    now: () => now,
    sleep: (ms) => {
      sleeps.push(ms)
      now += ms
      return Promise.resolve()
    }
  }
}

const updating: Observation = { status: 'UPDATING', certificateArn: NEW }
const active: Observation = { status: 'ACTIVE', certificateArn: NEW }
const throttled = new CallFailed(
  'DescribeUserPoolDomain',
  'domain',
  Object.assign(new Error('Rate exceeded'), {
    name: 'TooManyRequestsException',
    $metadata: { httpStatusCode: 400 }
  })
)

/**
 * Runs the rollout against a script of answers; each describe takes the next one (the last one
 * repeats). Records the time of every Cognito call.
 */
async function follow(
  script: (Observation | Error)[],
  options: {
    timing?: Timing
    probes?: (Served | Error)[]
    serial?: string
    signal?: AbortSignal
    target?: Target
  } = {}
): Promise<{
  result: Rollout
  calls: number[]
  lines: string[]
  clock: ReturnType<typeof fakeClock>
}> {
  const clock = fakeClock()
  const calls: number[] = []
  const lines: string[] = []
  let step = 0
  const watch: Watch = {
    describe: () => {
      calls.push(clock.now())
      const answer = script[Math.min(step++, script.length - 1)]
      if (answer === undefined) throw new Error('empty script')
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer)
    },
    clock,
    log: (line) => lines.push(line),
    signal: options.signal ?? new AbortController().signal
  }
  const probes = options.probes
  if (probes !== undefined) {
    let probed = 0
    watch.probe = () => {
      const seen = probes[Math.min(probed++, probes.length - 1)]
      if (seen === undefined || seen instanceof Error)
        return Promise.reject(seen ?? new Error('empty'))
      return Promise.resolve({ served: seen, matches: seen.serial === (options.serial ?? 'aa:bb') })
    }
  }
  const result = await followRollout(options.target ?? target, options.timing ?? timing, watch)
  return { result, calls, lines, clock }
}

const served = (serial: string): Served => ({
  serial,
  subject: 'auth.example.com',
  validTo: 'Dec 28 00:00:00 2027 GMT',
  fingerprint256: 'AA'
})

describe('following the status', () => {
  test('UPDATING → ACTIVE on the new certificate succeeds, one line per poll', async () => {
    const { result, calls, lines } = await follow([updating, updating, active])

    expect(result).toEqual({ ok: true, status: 'ACTIVE', seconds: 30, served: undefined })
    expect(calls).toHaveLength(3)
    expect(lines).toEqual([
      `Rollout 0:00: status UPDATING, certificate ${NEW}`,
      `Rollout 0:15: status UPDATING, certificate ${NEW}`,
      `Rollout 0:30: status ACTIVE, certificate ${NEW}`
    ])
  })

  test('ACTIVE still on the old certificate keeps waiting (the change is not visible yet)', async () => {
    const { result, calls } = await follow([{ status: 'ACTIVE', certificateArn: OLD }, active])
    expect(result.ok).toBe(true)
    expect(calls).toHaveLength(2)
  })

  test('UPDATING → FAILED fails at once', async () => {
    const { result, calls } = await follow([updating, { status: 'FAILED', certificateArn: NEW }])
    expect(result).toMatchObject({ ok: false, why: 'failed', status: 'FAILED', seconds: 15 })
    expect(calls).toHaveLength(2)
  })

  test('ACTIVE on a third certificate fails: another change replaced this one', async () => {
    const other = 'arn:aws:acm:us-east-1:123456789012:certificate/other'
    const { result } = await follow([{ status: 'ACTIVE', certificateArn: other }])
    expect(result).toMatchObject({ ok: false, why: 'replaced' })
    if (!result.ok) expect(result.message).toContain(other)
  })

  test('the timeout ends the wait, with the last status seen', async () => {
    const { result, calls, clock } = await follow([updating], {
      timing: { timeoutMs: 60_000, intervalMs: 15_000 }
    })
    expect(result).toMatchObject({ ok: false, why: 'timeout', status: 'UPDATING', seconds: 60 })
    if (!result.ok) expect(result.message).toContain('still UPDATING')
    expect(calls).toHaveLength(5) // 0, 15, 30, 45 and 60 s
    expect(clock.sleeps.every((ms) => ms <= 15_000)).toBe(true)
  })

  test('at most one Cognito call per poll interval over an hour', async () => {
    const { calls } = await follow([updating])
    const gaps = calls.slice(1).map((time, i) => time - (calls[i] ?? 0))
    expect(Math.min(...gaps)).toBe(15_000)
    expect(calls.length).toBeLessThanOrEqual(60 * 4 + 1)
  })

  test('throttling slows the polling down instead of failing it', async () => {
    const { result, calls, lines } = await follow([
      throttled,
      throttled,
      throttled,
      updating,
      active
    ])
    expect(result.ok).toBe(true)
    const gaps = calls.slice(1).map((time, i) => time - (calls[i] ?? 0))
    expect(gaps).toEqual([30_000, 60_000, 120_000, 120_000])
    expect(lines[0]).toBe(
      'Rollout 0:00: Cognito throttled the poll (TooManyRequestsException); next poll in 30 s'
    )
  })

  test('a 5xx or a reset is tried again at the next poll', async () => {
    const reset = new CallFailed(
      'DescribeUserPoolDomain',
      'domain',
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
    )
    const { result, calls } = await follow([reset, active])
    expect(result.ok).toBe(true)
    expect(calls[1]).toBe((calls[0] ?? 0) + 15_000)
  })

  test('an error that will not pass (AccessDenied) ends the wait', async () => {
    const denied = new CallFailed(
      'DescribeUserPoolDomain',
      'domain',
      Object.assign(new Error('no'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 400 }
      })
    )
    await expect(follow([updating, denied])).rejects.toBe(denied)
  })
})

describe('checking the served certificate', () => {
  test('the old certificate, then the new one', async () => {
    const { result, lines } = await follow([active], {
      probes: [served('01:02'), served('01:02'), served('aa:bb')]
    })
    expect(result).toEqual({ ok: true, status: 'ACTIVE', seconds: 30, served: served('aa:bb') })
    expect(lines.filter((line) => line.startsWith('TLS'))).toEqual([
      'TLS 0:00: served serial 01:02 (CN auth.example.com, valid to Dec 28 00:00:00 2027 GMT): not the new certificate yet',
      'TLS 0:15: served serial 01:02 (CN auth.example.com, valid to Dec 28 00:00:00 2027 GMT): not the new certificate yet',
      'TLS 0:30: served serial aa:bb (CN auth.example.com, valid to Dec 28 00:00:00 2027 GMT): the new certificate'
    ])
  })

  test('still the wrong certificate when the time runs out: fails, saying what was served', async () => {
    const { result } = await follow([active], {
      timing: { timeoutMs: 30_000, intervalMs: 10_000 },
      probes: [served('01:02')]
    })
    expect(result).toMatchObject({ ok: false, why: 'wrong-certificate', served: served('01:02') })
    if (!result.ok) expect(result.message).toContain('it still served serial 01:02')
  })

  test('connection failures are tried again until the time runs out', async () => {
    const { result } = await follow([active], {
      timing: { timeoutMs: 20_000, intervalMs: 10_000 },
      probes: [new Error('connect ECONNREFUSED 127.0.0.1:1')]
    })
    // Never reached: that proves nothing about what browsers get, unlike a wrong certificate.
    expect(result).toMatchObject({ ok: false, why: 'unreachable' })
    if (!result.ok) expect(result.message).toContain('ECONNREFUSED')
  })
})

describe('the wait is one deadline, from the moment the change was sent', () => {
  test('time spent before the wait (sending the change) counts against it', async () => {
    const clock = fakeClock()
    const watch: Watch = {
      describe: () => Promise.resolve(updating),
      clock,
      log: () => undefined,
      signal: new AbortController().signal
    }
    // The change was sent 50 s before the wait began: 10 s of a 60 s wait are left.
    const startedAt = clock.now() - 50_000
    const result = await followRollout(
      target,
      { timeoutMs: 60_000, intervalMs: 15_000, startedAt },
      watch
    )
    expect(result).toMatchObject({ ok: false, why: 'timeout', seconds: 60 })
    expect(clock.sleeps).toEqual([10_000])
  })

  test('a signal that ends with TimeUp ends a poll in flight: the wait has timed out', async () => {
    const ended = new AbortController()
    const watch: Watch = {
      // A poll that never answers by itself: only the signal ends it.
      describe: (signal) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            reject(signal.reason as Error)
          })
        }),
      clock: fakeClock(),
      log: () => undefined,
      signal: ended.signal
    }
    const following = followRollout(target, timing, watch)
    ended.abort(new TimeUp('wait-timeout-minutes', 30_000))
    const result = await following
    expect(result).toMatchObject({ ok: false, why: 'timeout' })
    if (!result.ok) expect(result.message).toContain('when wait-timeout-minutes ran out')
  })

  test('a signal that ends for another reason (a cancelled job) is thrown, not reported', async () => {
    const cancelled = new AbortController()
    const reason = new Error('cancelled')
    const watch: Watch = {
      describe: () => Promise.resolve(updating),
      clock: {
        now: () => 0,
        sleep: (_ms, signal) =>
          new Promise((_resolve, reject) => {
            if (signal.aborted) reject(signal.reason as Error)
            signal.addEventListener('abort', () => {
              reject(signal.reason as Error)
            })
          })
      },
      log: () => undefined,
      signal: cancelled.signal
    }
    const following = followRollout(target, timing, watch)
    cancelled.abort(reason)
    await expect(following).rejects.toBe(reason)
  })
})

describe('another change reaching the domain ends the wait at once', () => {
  const other = 'arn:aws:acm:us-east-1:123456789012:certificate/other'

  test('a third certificate while UPDATING', async () => {
    const { result, calls } = await follow([
      updating,
      { status: 'UPDATING', certificateArn: other }
    ])
    expect(result).toMatchObject({ ok: false, why: 'replaced' })
    if (!result.ok) expect(result.message).toContain(`certificate ${other}`)
    expect(calls).toHaveLength(2)
  })

  test('a security policy that neither this change nor the one before set', async () => {
    const { result } = await follow(
      [{ status: 'ACTIVE', certificateArn: NEW, securityPolicy: 'TLS_V1' }],
      {
        target: {
          to: { certificateArn: NEW, securityPolicy: 'TLS_V1_3_2025' },
          from: { certificateArn: OLD, securityPolicy: 'TLS_V1_2_2021' }
        }
      }
    )
    expect(result).toMatchObject({ ok: false, why: 'replaced' })
    if (!result.ok) expect(result.message).toContain('security policy TLS_V1 ')
  })

  test('a setting the change does not set is not compared', async () => {
    const { result } = await follow([{ ...active, securityPolicy: 'TLS_V1' }])
    expect(result.ok).toBe(true)
  })
})
