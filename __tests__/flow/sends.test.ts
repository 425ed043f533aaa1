import { describe, expect, test } from '@jest/globals'
import {
  asIs,
  before,
  lose,
  NEW,
  OLD,
  OTHER,
  page,
  refuse,
  stall,
  throttle,
  type Step
} from '../support/fake-aws.ts'
import { runFlow } from '../support/flow.ts'

/** The describe answered as Cognito would (a scripted step that changes nothing). */

describe('a resend follows a fresh look, and only a look that finds the domain as it was', () => {
  test('throttled twice, then accepted: a pause and a look before each resend', async () => {
    const run = await runFlow({
      setup: (world) => world.cognito.script('update', throttle(), throttle())
    })

    expect(run.result.failure).toBeUndefined()
    expect(run.world.made('update')).toHaveLength(3)
    // The look before the change, and one before each resend.
    expect(run.world.made('describe')).toHaveLength(3)
    expect(run.world.clock.sleeps).toEqual([1_000, 2_000])
    expect(run.world.cognito.certificateArn).toBe(NEW)
  })

  test('another certificate put on the domain during the pause: nothing is sent again', async () => {
    const run = await runFlow({
      setup: (world) => {
        world.cognito.script('update', throttle())
        world.cognito.script(
          'describe',
          asIs,
          before((w) => {
            w.cognito.change({ certificateArn: OTHER })
          })
        )
      }
    })

    expect(run.world.made('update')).toHaveLength(1)
    expect(run.world.cognito.certificateArn).toBe(OTHER)
    expect(run.result.failure).toContain(`The domain now carries certificate ${OTHER}`)
    expect(run.outputs['certificate-arn']).toBe(OTHER)
  })

  test('a setting carried over changed during the pause: the resend carries the new value', async () => {
    const run = await runFlow({
      setup: (world) => {
        world.cognito.script('update', throttle())
        world.cognito.script(
          'describe',
          asIs,
          before((w) => {
            w.cognito.change({ securityPolicy: 'TLS_V1' })
          })
        )
      }
    })

    expect(run.result.failure).toBeUndefined()
    expect(run.world.made('update')[1]?.request?.CustomDomainConfig).toEqual({
      CertificateArn: NEW,
      SecurityPolicy: 'TLS_V1'
    })
  })

  test('another change being distributed when the resend is due: nothing is sent again', async () => {
    const run = await runFlow({
      setup: (world) => {
        world.cognito.script('update', throttle())
        world.cognito.script(
          'describe',
          asIs,
          before((w) => {
            w.cognito.change({ status: 'UPDATING' })
          })
        )
      }
    })

    expect(run.world.made('update')).toHaveLength(1)
    expect(run.result.failure).toContain(
      'UpdateUserPoolDomain attempt 1 failed (TooManyRequestsException), and the domain was described before another.'
    )
    expect(run.result.failure).toContain('another change is still being distributed')
  })
})

describe('an update whose outcome is uncertain is looked up before anything is said', () => {
  test.each([1, 2, 3])(
    'the answer of attempt %i is lost: the look finds the change, and the run goes on',
    async (lostAt) => {
      const steps = [...Array.from({ length: lostAt - 1 }, () => throttle()), lose()]
      const run = await runFlow({ setup: (world) => world.cognito.script('update', ...steps) })

      expect(run.result.failure).toBeUndefined()
      expect(run.world.made('update')).toHaveLength(lostAt)
      expect(run.warnings.map((note) => note.title)).toEqual([
        'Update applied; its answer was lost'
      ])
      expect(run.outputs).toMatchObject({ changed: 'true', 'certificate-arn': NEW })
    }
  )

  test.each([
    ['a gateway answers 200 with its own page', page(200, true)],
    ['a gateway answers 403 with an HTML page', page(403, true)],
    ['the JSON is cut off halfway', page(200, true, '{"CloudFrontDomain": "d1')],
    [
      'the attempt stalls, and Cognito carries it out',
      ({ proceed, signal, world }: Parameters<Step>[0]) =>
        proceed().then(() => world.clock.never(signal))
    ]
  ])('%s after forwarding the update: it is found on the domain', async (_name, step) => {
    const run = await runFlow({
      inputs: { 'max-attempts': '1' },
      setup: (world) => world.cognito.script('update', step)
    })

    expect(run.result.failure).toBeUndefined()
    expect(run.warnings.map((note) => note.title)).toEqual(['Update applied; its answer was lost'])
    expect(run.outputs).toMatchObject({ changed: 'true', 'certificate-arn': NEW })
    expect(run.world.cognito.certificateArn).toBe(NEW)
  })

  test.each([
    ['a firewall answers 403 with an HTML page', page(403, false)],
    ['the attempt stalls', stall()]
  ])(
    '%s before forwarding it: said as of the look, never as "nothing was changed"',
    async (_name, step) => {
      const run = await runFlow({
        inputs: { 'max-attempts': '1' },
        setup: (world) => world.cognito.script('update', step)
      })

      expect(run.result.result).toBe('Failed')
      expect(run.result.failure).toContain(
        `When described just now, the domain still carried what it had before, certificate ${OLD} (status ACTIVE)`
      )
      expect(run.result.failure).not.toContain('nothing was changed')
      expect(run.outputs.changed).toBeUndefined()
      expect(run.outputs['certificate-arn']).toBe(OLD)
    }
  )

  test('the answer is lost and the domain then carries a third certificate: neither, and nothing more is sent', async () => {
    const run = await runFlow({
      inputs: { 'max-attempts': '1' },
      setup: (world) => {
        world.cognito.script('update', lose())
        world.cognito.script(
          'describe',
          asIs,
          before((w) => {
            w.cognito.change({ certificateArn: OTHER })
          })
        )
      }
    })
    expect(run.result.failure).toContain("neither this run's change nor what it had before")
    expect(run.outputs['certificate-arn']).toBe(OTHER)
  })

  test('the answer is lost and the domain cannot be described: unknown, with how to check and undo', async () => {
    const run = await runFlow({
      inputs: { 'max-attempts': '1' },
      setup: (world) => {
        world.cognito.script('update', lose())
        world.cognito.script('describe', asIs, refuse('NotAuthorizedException'))
      }
    })
    expect(run.result.failure).toContain('Whether the change was applied is unknown')
    expect(run.result.failure).toContain('aws cognito-idp describe-user-pool-domain')
    expect(run.result.failure).toContain(`certificate-arn: ${OLD}`)
    expect(run.outputs['certificate-arn']).toBe('')
  })

  test('refused by Cognito itself: nothing was changed, and no look is needed', async () => {
    const run = await runFlow({
      setup: (world) => world.cognito.script('update', refuse('InvalidParameterException'))
    })
    expect(run.result.failure).toContain(
      'Every attempt was refused or never reached Cognito, so nothing was changed.'
    )
    expect(run.world.made('describe')).toHaveLength(1)
    expect(run.outputs['certificate-arn']).toBe(OLD)
  })

  test('throttled on every attempt: the attempts and their pauses are said', async () => {
    const run = await runFlow({
      inputs: { 'max-attempts': '3' },
      setup: (world) => world.cognito.script('update', throttle(), throttle(), throttle())
    })
    expect(run.result.failure).toContain(
      'kept throttling the call and the action gave up after 3 attempts (3.0 s of back-off)'
    )
    expect(run.world.cognito.certificateArn).toBe(OLD)
  })
})
