import { describe, expect, test } from '@jest/globals'
import {
  CLOUDFRONT,
  certificate,
  DOMAIN,
  NEW,
  OLD,
  OTHER,
  POOL,
  refuse,
  serialOf,
  serves,
  unreachable
} from '../support/fake-aws.ts'
import { runFlow } from '../support/flow.ts'

describe('a rotation', () => {
  test('puts the new certificate on the domain in two round trips, and says so', async () => {
    const run = await runFlow()

    expect(run.result).toEqual({
      result: 'Certificate changed; distribution takes up to an hour',
      detail: `To roll back, run this action again with certificate-arn: ${OLD}`
    })
    expect(run.world.cognito.certificateArn).toBe(NEW)
    expect(run.world.made('update')[0]?.request).toEqual({
      Domain: DOMAIN,
      UserPoolId: POOL,
      CustomDomainConfig: { CertificateArn: NEW }
    })
    // Round trip 1: the domain and the new certificate; round trip 2: the update and the old one.
    expect(run.world.calls.map((call) => call.op)).toEqual([
      'describeCertificate',
      'describe',
      'describeCertificate',
      'update'
    ])
    expect(run.outputs).toEqual({
      'previous-certificate-arn': OLD,
      'previous-security-policy': '',
      'previous-managed-login-version': '',
      'cloudfront-domain': CLOUDFRONT,
      changed: 'true',
      'certificate-arn': NEW,
      'days-remaining': '400',
      imported: 'false',
      'retired-certificate-arn': ''
    })
    // Logged after the change: the certificate the domain carried until then.
    expect(run.lines).toContainEqual(
      expect.stringMatching(new RegExp(`^Certificate replaced: ${OLD}`))
    )
    expect(run.lines.join('\n')).not.toContain('Certificate in use:')
    expect(run.summary['Certificate before']).toContain(OLD)
    expect(run.summary['Certificate in use']).toBeUndefined()
    expect(run.summary).toMatchObject({
      Result: 'Certificate changed; distribution takes up to an hour',
      'Certificate checks': 'Passed',
      Change: `certificate ${OLD} → ${NEW}`
    })
    expect(run.warnings).toEqual([])
  })

  test('with wait-for-rollout, follows it to ACTIVE and to the edge', async () => {
    const run = await runFlow({ inputs: { 'wait-for-rollout': 'true' } })

    expect(run.result.result).toBe('Certificate changed and served at the edge after 30 s')
    expect(run.result.failure).toBeUndefined()
    expect(run.outputs).toMatchObject({
      status: 'ACTIVE',
      'rollout-seconds': '30',
      'served-certificate-serial': serialOf(NEW)
    })
    expect(run.lines).toContain(
      `Rollout complete after 30 s: the domain is ACTIVE and the edge serves serial ${serialOf(NEW)}.`
    )
  })

  test('the security policy and managed login version it does not change are sent as they are', async () => {
    const run = await runFlow({
      setup: (world) => {
        world.cognito.change({ securityPolicy: 'TLS_V1_3_2025', version: 2 })
      }
    })
    expect(run.world.made('update')[0]?.request).toEqual({
      Domain: DOMAIN,
      UserPoolId: POOL,
      CustomDomainConfig: { CertificateArn: NEW, SecurityPolicy: 'TLS_V1_3_2025' },
      ManagedLoginVersion: 2
    })
  })
})

describe('a run that changes nothing', () => {
  test.each([
    [
      'the domain does not exist',
      (world: import('../support/fake-aws.ts').World) => {
        world.cognito.domain = undefined
      },
      `DescribeUserPoolDomain found no domain ${DOMAIN} in eu-west-1`
    ],
    [
      'the domain belongs to another pool',
      (world: import('../support/fake-aws.ts').World) => {
        if (world.cognito.domain !== undefined) world.cognito.domain.UserPoolId = 'eu-west-1_Other1'
      },
      'belongs to user pool eu-west-1_Other1'
    ],
    [
      'the domain has no certificate',
      (world: import('../support/fake-aws.ts').World) => {
        if (world.cognito.domain !== undefined) delete world.cognito.domain.CustomDomainConfig
      },
      'so it is not a custom domain'
    ],
    [
      'the domain is UPDATING',
      (world: import('../support/fake-aws.ts').World) => {
        world.cognito.change({ status: 'UPDATING' })
      },
      'another change is still being distributed'
    ],
    [
      'the domain is FAILED',
      (world: import('../support/fake-aws.ts').World) => {
        world.cognito.change({ status: 'FAILED' })
      },
      'its last change did not complete'
    ]
  ])('%s: refused, nothing sent', async (_name, setup, reason) => {
    const run = await runFlow({ setup })

    expect(run.result.result).toBe('Refused')
    expect(run.result.failure).toContain(reason)
    expect(run.result.failure).toContain('Nothing was changed.')
    expect(run.world.made('update')).toEqual([])
    expect(run.outputs.changed).toBe('false')
  })

  test('the domain already carries the certificate: no change, judged as the one in use', async () => {
    const run = await runFlow({ inputs: { 'certificate-arn': OLD } })

    expect(run.result).toEqual({
      result: 'No change: the domain already has what was asked for',
      unchanged: true
    })
    expect(run.world.made('update')).toEqual([])
    expect(run.outputs).toMatchObject({
      changed: 'false',
      'certificate-arn': OLD,
      'days-remaining': '200'
    })
    expect(run.summary['Certificate checks']).toBe('Not run: no change to make')
    // One round trip: the domain, and the certificate asked for, which is the one in use.
    expect(run.world.calls.map((call) => call.op)).toEqual(['describeCertificate', 'describe'])
  })

  test('with wait-for-rollout, a rerun follows the change it finds to the edge, and sends nothing', async () => {
    const run = await runFlow({
      inputs: { 'wait-for-rollout': 'true' },
      setup: (world) => {
        world.cognito.change({ certificateArn: NEW })
      }
    })
    expect(run.result.result).toBe('No change: the domain already carries it; served at the edge')
    expect(run.world.made('update')).toEqual([])
  })
})

describe('the pre-flight of the new certificate', () => {
  test.each([
    ['expired', { days: -1 }, 'Certificate expired'],
    ['valid for half an hour more', { days: 1 / 48 }, 'Certificate expires during the rollout'],
    ['for another name', { names: ['www.example.com'] }, 'Domain not covered'],
    ['PENDING_VALIDATION', { status: 'PENDING_VALIDATION' }, 'Certificate not issued'],
    ['with an EC P-384 key', { key: 'EC_secp384r1' }, 'Key CloudFront cannot serve']
  ])('a certificate %s is refused, and nothing is sent', async (_name, options, title) => {
    const run = await runFlow({
      setup: (world) => {
        world.acm.add(certificate(NEW, options))
      }
    })
    expect(run.result.result).toBe('Refused: the certificate cannot serve this domain')
    expect(run.errors.map((note) => note.title)).toContain(`Certificate refused: ${title}`)
    expect(run.world.made('update')).toEqual([])
    expect(run.outputs).toMatchObject({ changed: 'false', 'certificate-arn': OLD })
  })

  test('ACM denies the read: a warning, and the change goes ahead unchecked', async () => {
    const run = await runFlow({
      setup: (world) => {
        world.acm.script(NEW, refuse('AccessDeniedException'))
      }
    })
    expect(run.world.cognito.certificateArn).toBe(NEW)
    expect(run.warnings.map((note) => note.title)).toContain('Certificate checks skipped')
    expect(run.summary['Certificate checks']).toBe(
      'Skipped: the job may not call acm:DescribeCertificate'
    )
  })

  test('ACM fails for good: the run fails before any change', async () => {
    const run = await runFlow({
      setup: (world) => {
        world.acm.script(NEW, refuse('InternalFailure', 500))
      }
    })
    expect(run.result.result).toBe('Failed')
    expect(run.result.failure).toContain('DescribeCertificate')
    expect(run.world.made('update')).toEqual([])
  })
})

describe('the certificate in use', () => {
  test('expired, and the run replaces it: said, and the run succeeds', async () => {
    const run = await runFlow({
      setup: (world) => {
        world.acm.add(certificate(OLD, { days: -3 }))
      }
    })
    expect(run.result.failure).toBeUndefined()
    expect(run.lines).toContainEqual(expect.stringContaining('This run replaces it.'))
  })

  test('expired, and the run only reads it: the run fails', async () => {
    const run = await runFlow({
      inputs: { 'certificate-arn': OLD },
      setup: (world) => {
        world.acm.add(certificate(OLD, { days: -3 }))
      }
    })
    expect(run.result.result).toBe('Failed: Certificate in use expired')
  })
})

describe('a dry run', () => {
  test('checks, sends nothing, and says what a real run would do', async () => {
    const run = await runFlow({ inputs: { 'dry-run': 'true' } })

    expect(run.result.result).toBe('Dry run: the certificate would be changed')
    expect(run.world.made('update')).toEqual([])
    expect(run.outputs).toMatchObject({
      changed: 'true',
      'certificate-arn': NEW,
      'served-certificate-serial': serialOf(OLD)
    })
    expect(run.summary.Rollout).toBe(`Edge serves the certificate in use (serial ${serialOf(OLD)})`)
  })

  test('an edge that serves another certificate fails it', async () => {
    const run = await runFlow({
      inputs: { 'dry-run': 'true' },
      setup: (world) => {
        world.edge.script(serves(OTHER))
      }
    })
    expect(run.result.result).toBe('Failed: the edge serves another certificate')
  })

  test('an edge the runner cannot reach is a warning', async () => {
    const run = await runFlow({
      inputs: { 'dry-run': 'true' },
      setup: (world) => {
        world.edge.script(unreachable())
      }
    })
    expect(run.result.failure).toBeUndefined()
    expect(run.warnings.map((note) => note.title)).toContain('TLS check failed')
  })
})
