import { describe, expect, test } from '@jest/globals'
import { arn, certificate, NEW, OLD, refuse, throttle } from '../support/fake-aws.ts'
import { runFlow } from '../support/flow.ts'

const newest = { 'certificate-arn': 'newest' }
const LATER = arn('later')
const SOONER = arn('sooner')

describe('certificate-arn: newest', () => {
  test('of the covering, issued, valid certificates, the one that expires last', async () => {
    const run = await runFlow({
      inputs: newest,
      setup: (world) => {
        world.acm.add(
          certificate(LATER, { days: 500 }),
          certificate(arn('expired'), { days: -1 }),
          certificate(arn('elsewhere'), { days: 900, names: ['www.example.com'] })
        )
      }
    })
    expect(run.world.cognito.certificateArn).toBe(LATER)
    expect(run.outputs['certificate-arn']).toBe(LATER)
    expect(run.lines).toContain(
      `newest: ${LATER}: valid until 2028-04-14T12:00:00Z, chosen: it expires last`
    )
    expect(run.lines).toContain(
      'newest: 1 other ISSUED certificate in the account: set aside, its names do not cover auth.example.com'
    )
  })

  test('keeps the current certificate when no candidate expires later', async () => {
    const run = await runFlow({
      inputs: newest,
      setup: (world) => {
        world.acm.certificates.delete(NEW)
        world.acm.add(certificate(SOONER, { days: 100 }))
      }
    })
    expect(run.result.unchanged).toBe(true)
    expect(run.world.made('update')).toEqual([])
  })

  test('a candidate ACM did not describe is set aside; the others still count', async () => {
    const run = await runFlow({
      inputs: newest,
      setup: (world) => {
        world.acm.add(certificate(LATER, { days: 900 }))
        world.acm.script(LATER, refuse('InternalFailure', 500))
      }
    })
    expect(run.world.cognito.certificateArn).toBe(NEW)
    expect(run.lines).toContainEqual(
      expect.stringContaining(`${LATER}: set aside, ACM did not describe it`)
    )
  })

  test.each([
    ['answers with a 5xx', refuse('InternalFailure', 503), 'Run again in a few minutes.'],
    ['keeps throttling', throttle(), 'Run again in a few minutes.'],
    ['is denied to the job', refuse('AccessDeniedException'), 'acm:DescribeCertificate']
  ])(
    'the certificate in use can not be read (ACM %s): never traded away, nothing is sent',
    async (_name, step, next) => {
      const run = await runFlow({
        inputs: newest,
        setup: (world) => {
          world.acm.add(certificate(SOONER, { days: 50 }))
          world.acm.certificates.delete(NEW)
          world.acm.script(OLD, step)
        }
      })
      expect(run.result.result).toBe('Refused: no certificate to choose')
      expect(run.result.failure).toContain(
        `The certificate the domain carries now, ${OLD}, could not be read from ACM`
      )
      expect(run.result.failure).toContain('never trades away a certificate it could not judge')
      expect(run.result.failure).toContain(next)
      expect(run.world.made('update')).toEqual([])
      expect(run.world.cognito.certificateArn).toBe(OLD)
      expect(run.outputs.changed).toBe('false')
    }
  )

  test('no certificate to choose: fails with what was looked at, and changes nothing', async () => {
    const run = await runFlow({
      inputs: newest,
      setup: (world) => {
        world.acm.certificates.clear()
        world.acm.add(certificate(OLD, { days: -1, status: 'EXPIRED' }))
      }
    })
    expect(run.result.result).toBe('Refused: no certificate to choose')
    expect(run.world.made('update')).toEqual([])
  })

  test('without acm:ListCertificates: names the permission, changes nothing', async () => {
    const run = await runFlow({
      inputs: newest,
      setup: (world) => world.acm.scriptList(refuse('AccessDeniedException'))
    })
    expect(run.result.result).toBe('Failed')
    expect(run.result.failure).toContain('acm:ListCertificates')
    expect(run.world.made('update')).toEqual([])
  })
})
