import { describe, expect, test } from '@jest/globals'
import {
  NEW,
  OLD,
  OTHER,
  refuse,
  serialOf,
  servedOf,
  serves,
  showing,
  slow,
  throttle,
  unreachable,
  type Step
} from '../support/fake-aws.ts'
import { runFlow, type FlowOptions } from '../support/flow.ts'

const waiting = { 'wait-for-rollout': 'true' }

/** A rotation whose wait is `minutes` long, with the polls and edge scripted. */
function rollout(
  minutes: string,
  polls: Step[] = [],
  edge: Step[] = [],
  rolloutMs = 30_000
): FlowOptions {
  return {
    inputs: { ...waiting, 'wait-timeout-minutes': minutes },
    setup: (world) => {
      world.cognito.rolloutMs = rolloutMs
      world.cognito.script('poll', ...polls)
      world.edge.script(...edge)
    }
  }
}

const pollTimes = (run: Awaited<ReturnType<typeof runFlow>>) => {
  const polls = run.world.made('poll').map((call) => call.at)
  return polls.map((at) => (at - (polls[0] ?? 0)) / 1000)
}

describe('following the status', () => {
  test('UPDATING → ACTIVE on the new certificate: one poll per interval, one line per poll', async () => {
    const run = await runFlow(rollout('60'))

    expect(run.result.result).toBe('Certificate changed and served at the edge after 30 s')
    expect(pollTimes(run)).toEqual([0, 15, 30])
    expect(run.lines.filter((line) => /^Rollout \d/.test(line))).toEqual([
      `Rollout 0:00: status UPDATING, certificate ${NEW}`,
      `Rollout 0:15: status UPDATING, certificate ${NEW}`,
      `Rollout 0:30: status ACTIVE, certificate ${NEW}`
    ])
  })

  test('ACTIVE still on the old certificate keeps waiting (the change is not visible yet)', async () => {
    const run = await runFlow(rollout('60', [showing({ status: 'ACTIVE', certificateArn: OLD })]))
    expect(run.result.failure).toBeUndefined()
  })

  test.each([
    ['FAILED', 'failed', 'Cognito reports the domain FAILED 15 s after the change was sent'],
    ['CREATING', 'timeout', 'The domain was still CREATING'],
    ['DELETING', 'timeout', 'The domain was still DELETING'],
    ['SOMETHING_NEW', 'timeout', 'The domain was still SOMETHING_NEW']
  ])('a poll that sees %s: the rollout is %s', async (status, why, message) => {
    const run = await runFlow(
      rollout('1', [
        showing({ status: 'UPDATING' }),
        ...Array.from({ length: 10 }, () => showing({ status }))
      ])
    )
    expect(run.progress.rollout).toMatchObject({ ok: false, why })
    expect(run.result.failure).toContain(message)
    expect(run.result.failure).toContain(`certificate-arn: ${OLD}`)
  })

  test('the time runs out while UPDATING: the last status seen, at most one poll per interval', async () => {
    const run = await runFlow(rollout('1', [], [], 10 * 60_000))
    expect(run.progress.rollout).toMatchObject({
      ok: false,
      why: 'timeout',
      status: 'UPDATING',
      seconds: 60
    })
    expect(run.result.failure).toContain(
      `The domain was still UPDATING on certificate ${NEW} when wait-timeout-minutes ran out (60 s after the change was sent)`
    )
    expect(pollTimes(run)).toEqual([0, 15, 30, 45])
    expect(run.outputs).toMatchObject({ status: 'UPDATING', 'rollout-seconds': '60' })
  })

  test('an hour of UPDATING: never more than one Cognito call per interval', async () => {
    const run = await runFlow(rollout('60', [], [], 2 * 60 * 60_000))
    const times = pollTimes(run)
    const gaps = times.slice(1).map((time, i) => time - (times[i] ?? 0))
    expect(Math.min(...gaps)).toBe(15)
    expect(times.length).toBeLessThanOrEqual(60 * 4)
  })

  test('throttling slows the polling down instead of failing it', async () => {
    const run = await runFlow(rollout('60', [throttle(), throttle(), throttle()], [], 3 * 60_000))
    const times = pollTimes(run)
    expect(times).toEqual([0, 30, 90, 210])
    expect(run.lines).toContain(
      'Rollout 0:00: Cognito throttled the poll (TooManyRequestsException); next poll in 30 s'
    )
    expect(run.result.failure).toBeUndefined()
  })

  test('a 5xx is tried again at the next poll', async () => {
    const run = await runFlow(rollout('60', [refuse('InternalErrorException', 500)]))
    expect(run.result.failure).toBeUndefined()
    expect(pollTimes(run).slice(0, 2)).toEqual([0, 15])
  })

  test('a poll that stalls ends at attempt-timeout-seconds, and polling goes on', async () => {
    const stalled: Step = ({ signal, world }) => world.clock.never(signal)
    const run = await runFlow(rollout('60', [stalled]))
    expect(run.result.failure).toBeUndefined()
    expect(pollTimes(run).slice(0, 2)).toEqual([0, 30])
  })

  test('an error that will not pass (AccessDenied) ends the wait, with the rollback step', async () => {
    const run = await runFlow(
      rollout('60', [showing({ status: 'UPDATING' }), refuse('AccessDeniedException')])
    )
    expect(run.result.result).toBe('Failed')
    expect(run.result.failure).toContain('not authorized')
    expect(run.result.failure).toContain(`certificate-arn: ${OLD}`)
  })

  test('an ended role session says what the domain was changed to, and how to finish', async () => {
    const run = await runFlow(rollout('60', [refuse('ExpiredTokenException')]))
    expect(run.result.failure).toContain(
      'The AWS role session of this job ended after the change was sent'
    )
    expect(run.result.failure).toContain(`The domain was changed to certificate ${NEW}`)
  })
})

describe('another change reaching the domain ends the wait at once', () => {
  test.each(['UPDATING', 'ACTIVE', 'FAILED'])('a third certificate while %s', async (status) => {
    const run = await runFlow(
      rollout('60', [showing({ status: 'UPDATING' }), showing({ status, certificateArn: OTHER })])
    )
    expect(run.progress.rollout).toMatchObject({
      ok: false,
      why: status === 'FAILED' ? 'failed' : 'replaced'
    })
    expect(run.world.made('poll')).toHaveLength(2)
  })

  test('a security policy that neither this change nor the one before set', async () => {
    const run = await runFlow({
      inputs: { ...waiting, 'security-policy': 'TLS_V1_3_2025' },
      setup: (world) => {
        world.cognito.change({ securityPolicy: 'TLS_V1_2_2021' })
        world.cognito.script('poll', showing({ status: 'ACTIVE', securityPolicy: 'TLS_V1' }))
      }
    })
    expect(run.progress.rollout).toMatchObject({ ok: false, why: 'replaced' })
    expect(run.result.failure).toContain('security policy TLS_V1 ')
  })

  test('a setting the change does not set is not compared', async () => {
    const run = await runFlow(
      rollout('60', [showing({ status: 'ACTIVE', securityPolicy: 'TLS_V1' })])
    )
    expect(run.result.failure).toBeUndefined()
  })
})

describe('checking the edge', () => {
  test('the old certificate, then the new one', async () => {
    const run = await runFlow(rollout('60', [], [serves(OLD), serves(OLD)], 0))
    expect(run.lines.filter((line) => line.startsWith('TLS'))).toEqual([
      `TLS 0:00: served serial ${serialOf(OLD)} (CN auth.example.com, valid to Sat, 19 Jun 2027 12:00:00 GMT): not the new certificate yet`,
      `TLS 0:15: served serial ${serialOf(OLD)} (CN auth.example.com, valid to Sat, 19 Jun 2027 12:00:00 GMT): not the new certificate yet`,
      `TLS 0:30: served serial ${serialOf(NEW)} (CN auth.example.com, valid to Wed, 05 Jan 2028 12:00:00 GMT): the new certificate`
    ])
    expect(run.outputs['served-certificate-serial']).toBe(serialOf(NEW))
  })

  test('still the old certificate when the time runs out: fails, saying what was served', async () => {
    const run = await runFlow(
      rollout(
        '0.5',
        [],
        Array.from({ length: 5 }, () => serves(OLD)),
        0
      )
    )
    expect(run.progress.rollout).toMatchObject({ ok: false, why: 'wrong-certificate' })
    expect(run.result.failure).toContain(`it still served serial ${serialOf(OLD)}`)
  })

  test('the new serial with another expiry (a second certificate of the same CA and serial) is not the new certificate', async () => {
    const twin: Step = () =>
      Promise.resolve(servedOf(NEW, 'auth.example.com', new Date('2027-06-19T12:00:00Z')))
    const run = await runFlow(
      rollout(
        '0.5',
        [],
        Array.from({ length: 5 }, () => twin),
        0
      )
    )
    expect(run.progress.rollout).toMatchObject({ ok: false, why: 'wrong-certificate' })
    expect(run.outputs['served-certificate-serial']).not.toBe(undefined)
    expect(run.result.failure).toContain(
      `it still served serial ${serialOf(NEW)} (CN auth.example.com, valid to Sat, 19 Jun 2027 12:00:00 GMT)`
    )
  })

  test('never reached: that proves nothing about what browsers get', async () => {
    const run = await runFlow(
      rollout(
        '0.5',
        [],
        Array.from({ length: 5 }, () => unreachable()),
        0
      )
    )
    expect(run.progress.rollout).toMatchObject({ ok: false, why: 'unreachable' })
    expect(run.result.failure).toContain('ECONNREFUSED')
  })

  test('an edge that accepts the connection and never answers: each check ends at its deadline, the wait at its own', async () => {
    const hung: Step = ({ signal, world }) => world.clock.never(signal)
    const run = await runFlow(
      rollout(
        '1',
        [],
        Array.from({ length: 10 }, () => hung),
        0
      )
    )
    expect(run.progress.rollout).toMatchObject({ ok: false, why: 'unreachable', seconds: 60 })
    expect(run.lines).toContainEqual(expect.stringContaining('no TLS handshake within 15 s'))
  })
})

describe('the wait is one deadline, from the moment the change is sent', () => {
  test('time spent sending the change counts against it, and one poll is always made', async () => {
    const run = await runFlow({
      inputs: { ...waiting, 'wait-timeout-minutes': '0.1' },
      setup: (world) => {
        world.cognito.rolloutMs = 60_000
        world.cognito.script('update', slow(10_000))
      }
    })
    expect(run.world.made('poll')).toHaveLength(1)
    expect(run.progress.rollout).toMatchObject({ ok: false, why: 'timeout', seconds: 25 })
  })

  test('a poll in flight when the time runs out is ended by it', async () => {
    const stalled: Step = ({ signal, world }) => world.clock.never(signal)
    const run = await runFlow({
      inputs: { ...waiting, 'wait-timeout-minutes': '0.2', 'attempt-timeout-seconds': '60' },
      setup: (world) => {
        world.cognito.script('poll', stalled)
      }
    })
    expect(run.progress.rollout).toMatchObject({ ok: false, why: 'timeout', seconds: 12 })
    expect(run.result.failure).toContain(
      'No poll of the domain had been answered when wait-timeout-minutes ran out'
    )
  })
})
