import { describe, expect, test } from '@jest/globals'
import {
  asIs,
  before,
  certificate,
  lose,
  NEW,
  OLD,
  OTHER,
  refuse,
  stall,
  throttle,
  type World
} from '../support/fake-aws.ts'
import { runFlow, type FlowOptions } from '../support/flow.ts'

/** Answered as the fake would (a step that changes nothing). */

/**
 * A rotation with wait-for-rollout and rollback-on-failure whose rollout never leaves UPDATING
 * within wait-timeout-minutes (0.5 min); a rollback, once sent, is ACTIVE 10 s later.
 */
function failedRollout(setup: (world: World) => void = () => undefined): FlowOptions {
  return {
    inputs: {
      'wait-for-rollout': 'true',
      'rollback-on-failure': 'true',
      'wait-timeout-minutes': '0.5'
    },
    setup: (world) => {
      world.cognito.rollouts.push(10 * 60_000, 10_000)
      setup(world)
    }
  }
}

describe('a rollback puts back only a certificate that passes the checks a new one must pass', () => {
  test('the certificate before is valid: it goes back, and the domain is ACTIVE on it again', async () => {
    const run = await runFlow(failedRollout())

    expect(run.result.result).toBe('Failed; rolled back')
    expect(run.result.failure).toContain(
      `Rolled back: the domain is ACTIVE again on certificate ${OLD}`
    )
    expect(run.world.cognito.certificateArn).toBe(OLD)
    expect(run.outputs).toMatchObject({
      'certificate-arn': OLD,
      'days-remaining': '200',
      status: 'ACTIVE'
    })
  })

  test("cloudfront-domain is the one the rollback's answer gives, where the domain is now", async () => {
    const run = await runFlow(
      failedRollout((world) =>
        world.cognito.distributions.push('dforward.cloudfront.net', 'dback.cloudfront.net')
      )
    )
    expect(run.result.result).toBe('Failed; rolled back')
    expect(run.outputs['cloudfront-domain']).toBe('dback.cloudfront.net')
  })

  test.each([
    ['expired', { days: -2 }, 'Certificate expired'],
    ['revoked', { status: 'REVOKED' }, 'is REVOKED'],
    ['for another name', { names: ['other.example.com'] }, 'does not cover auth.example.com']
  ])(
    'the certificate before is %s: nothing is sent back, and the message says why and what to do',
    async (_name, options, why) => {
      const run = await runFlow(
        failedRollout((world) => {
          world.acm.add(certificate(OLD, options))
        })
      )

      expect(run.result.result).toBe('Failed; not rolled back')
      expect(run.world.made('update')).toHaveLength(1)
      expect(run.world.cognito.certificateArn).toBe(NEW)
      expect(run.result.failure).toContain(
        `Not rolled back: the certificate the domain had before, ${OLD}, can't be put back`
      )
      expect(run.result.failure).toContain(why)
      expect(run.result.failure).toContain(`The domain keeps this run's change, certificate ${NEW}`)
      expect(run.result.failure).toContain(
        'run this action with certificate-arn set to an ISSUED certificate'
      )
    }
  )

  test('the certificate before expires during the wait: it is judged as it is when the rollback is due', async () => {
    const run = await runFlow(
      failedRollout((world) => {
        // Valid for 10 s more when the run starts; the wait takes 30 s.
        world.acm.add({ ...certificate(OLD), NotAfter: new Date(world.clock.now() + 10_000) })
      })
    )
    expect(run.result.result).toBe('Failed; not rolled back')
    expect(run.result.failure).toContain('Certificate expired')
    expect(run.world.made('update')).toHaveLength(1)
  })

  test('the certificate before expires before a rollback to it could be served: it is not put back', async () => {
    const run = await runFlow(
      failedRollout((world) => {
        // Valid when the rollback is due, but for 40 min only: CloudFront takes up to an hour.
        world.acm.add({ ...certificate(OLD), NotAfter: new Date(world.clock.now() + 40 * 60_000) })
      })
    )
    expect(run.result.result).toBe('Failed; not rolled back')
    expect(run.result.failure).toContain('Certificate expires during the rollout')
    expect(run.result.failure).toContain('before a change to it would be served everywhere')
    expect(run.world.made('update')).toHaveLength(1)
    expect(run.world.cognito.certificateArn).toBe(NEW)
  })

  test.each([
    ['ACM fails', refuse('InternalFailure', 500)],
    ['ACM keeps throttling', throttle()]
  ])(
    '%s when the certificate before is read again: it is never put back unjudged',
    async (_name, step) => {
      const run = await runFlow(
        failedRollout((world) => {
          // Read once by the run as the certificate in use, then again right before the rollback.
          world.acm.script(OLD, asIs, step)
        })
      )
      expect(run.result.result).toBe('Failed; not rolled back')
      expect(run.result.failure).toContain('never puts back a certificate it could not judge')
      expect(run.world.made('update')).toHaveLength(1)
    }
  )

  test('the job may not read it (AccessDenied): it goes back unchecked, with a warning', async () => {
    const run = await runFlow(
      failedRollout((world) => {
        world.acm.script(OLD, asIs, refuse('AccessDeniedException'))
      })
    )
    expect(run.result.result).toBe('Failed; rolled back')
    expect(run.warnings.map((note) => note.title)).toContain('Rollback target not checked')
  })
})

describe('a rollback never overwrites another change', () => {
  test('another certificate lands between the failure and the rollback: nothing is sent', async () => {
    const run = await runFlow(
      failedRollout((world) => {
        world.cognito.script(
          'describe',
          asIs,
          before((w) => {
            w.cognito.change({ certificateArn: OTHER })
          })
        )
      })
    )
    expect(run.result.failure).toContain(
      `Not rolled back: the domain now carries certificate ${OTHER}`
    )
    expect(run.world.made('update')).toHaveLength(1)
  })

  test('its update is throttled, and another certificate lands during the pause: the look before the resend sees it, and nothing is sent again', async () => {
    const run = await runFlow(
      failedRollout((world) => {
        world.cognito.script('update', asIs, throttle())
        world.cognito.script(
          'describe',
          asIs,
          asIs,
          before((w) => {
            w.cognito.change({ certificateArn: OTHER })
          })
        )
      })
    )

    expect(run.world.made('update')).toHaveLength(2)
    expect(run.world.cognito.certificateArn).toBe(OTHER)
    expect(run.result.result).toBe('Failed; not rolled back')
    expect(run.result.failure).toContain(
      `attempt 1 failed (TooManyRequestsException), and the domain was described before another. The domain now carries certificate ${OTHER} (status UPDATING): another change reached it, so it was not tried again.`
    )
  })

  test('a security policy set by someone else during the wait is kept', async () => {
    const run = await runFlow(
      failedRollout((world) => {
        world.cognito.script(
          'describe',
          asIs,
          before((w) => {
            w.cognito.change({ securityPolicy: 'TLS_V1_3_2025' })
          })
        )
      })
    )
    expect(run.world.made('update')[1]?.request?.CustomDomainConfig).toEqual({
      CertificateArn: OLD,
      SecurityPolicy: 'TLS_V1_3_2025'
    })
  })

  test('its answer is lost: the look before a resend finds it on the domain, and it is done', async () => {
    const run = await runFlow(
      failedRollout((world) => {
        world.cognito.script('update', asIs, lose())
      })
    )
    expect(run.result.result).toBe('Failed; rolled back')
    expect(run.world.made('update')).toHaveLength(2)
    expect(run.lines).toContainEqual(
      expect.stringContaining(
        "The rollback's UpdateUserPoolDomain reported a failure, but the domain carries it"
      )
    )
  })
})

describe('a rollback ends within its own budget', () => {
  test('its update stalls on every attempt: it ends when wait-timeout-minutes, counted from when it was first sent, runs out', async () => {
    const run = await runFlow(
      failedRollout((world) => {
        world.cognito.script('update', asIs, stall(), stall(), stall(), stall(), stall())
      })
    )

    const first = run.world.made('update')[1]
    expect(first).toBeDefined()
    const end = run.world.clock.now()
    // 30 s from the first attempt of the rollback: no attempt, look or pause outlasts it.
    expect(end - (first?.at ?? 0)).toBeLessThanOrEqual(30_000)
    expect(run.world.calls.every((call) => call.at <= (first?.at ?? 0) + 30_000)).toBe(true)
    expect(run.result.result).toBe('Failed; not rolled back')
    expect(run.result.failure).toContain('was being sent when its time (wait-timeout-minutes')
  })

  test('its wait ends at the same deadline', async () => {
    const run = await runFlow(
      failedRollout((world) => {
        world.cognito.rollouts.splice(0, 2, 10 * 60_000, 10 * 60_000)
      })
    )
    const first = run.world.made('update')[1]
    expect(run.world.clock.now() - (first?.at ?? 0)).toBe(30_000)
    expect(run.result.failure).toContain('The rollback to certificate')
    expect(run.result.failure).toContain('did not complete')
  })
})

test('an expired role session on the look before the rollback says so, and how to finish', async () => {
  const run = await runFlow(
    failedRollout((world) => {
      world.cognito.script('describe', asIs, refuse('ExpiredTokenException'))
    })
  )
  expect(run.result.failure).toContain('the AWS role session of this job ended during the rollback')
  expect(run.world.made('update')).toHaveLength(1)
})
