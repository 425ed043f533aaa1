import { describe, expect, test } from '@jest/globals'
import { TAG_CHAIN_SHA256, TAG_DOMAIN, TAG_SHA256 } from '../../src/flow/import.js'
import type { CheckedPem } from '../../src/rules/pem.js'
import {
  asIs,
  arn,
  certificate,
  DOMAIN,
  lose,
  NEW,
  OLD,
  refuse,
  serialOf,
  throttle,
  type World
} from '../support/fake-aws.ts'
import { runFlow, type FlowOptions } from '../support/flow.ts'

/** The certificate of certificate-pem, as the local checks give it: 90 days left. */
const ISSUED = certificate(arn('pem'), { days: 90 })
const PEM: CheckedPem = {
  certificate: '-----BEGIN CERTIFICATE-----\nMIIleaf\n-----END CERTIFICATE-----\n',
  privateKey: '-----BEGIN PRIVATE KEY-----\nMIIkey\n-----END PRIVATE KEY-----\n',
  chain: '-----BEGIN CERTIFICATE-----\nMIIchain\n-----END CERTIFICATE-----\n',
  serial: serialOf(arn('pem')),
  fingerprint256: 'ab'.repeat(32),
  chainFingerprint256: 'cd'.repeat(32),
  notBefore: ISSUED.NotBefore ?? new Date(0),
  notAfter: ISSUED.NotAfter ?? new Date(0),
  names: [DOMAIN],
  keyAlgorithm: 'RSA_2048',
  detail: { ...ISSUED, CertificateArn: undefined },
  facts: `serial ${serialOf(arn('pem'))}, covers ${DOMAIN}, RSA_2048`
}
const OURS = {
  [TAG_DOMAIN]: DOMAIN,
  [TAG_SHA256]: PEM.fingerprint256,
  [TAG_CHAIN_SHA256]: PEM.chainFingerprint256
}
/** The same leaf, imported by an earlier run with another chain. */
const OTHER_CHAIN = { ...OURS, [TAG_CHAIN_SHA256]: 'ef'.repeat(32) }
const EARLIER = arn('earlier')

/** A run with certificate-pem; ACM knows how to import it. */
function withPem(options: FlowOptions = {}): FlowOptions {
  return {
    ...options,
    pem: PEM,
    setup: (world) => {
      world.acm.importable(PEM.certificate, ISSUED)
      options.setup?.(world)
    }
  }
}

/** ACM holds the certificate already, imported by an earlier run, with these tags. */
function heldAs(world: World, certificateArn: string, tags: Record<string, string> = OURS): void {
  world.acm.add({ ...ISSUED, CertificateArn: certificateArn })
  world.acm.tags.set(certificateArn, tags)
}

describe('certificate-pem: imported once', () => {
  test('not in ACM yet: imported as a new certificate, tagged, and put on the domain', async () => {
    const run = await runFlow(withPem())

    expect(run.result.failure).toBeUndefined()
    const [imported] = run.world.acm.imports
    expect(imported).toMatchObject({
      certificate: PEM.certificate,
      privateKey: PEM.privateKey,
      chain: PEM.chain
    })
    expect(run.world.acm.tags.get(imported?.arn ?? '')).toEqual(OURS)
    expect(run.world.cognito.certificateArn).toBe(imported?.arn)
    expect(run.outputs).toMatchObject({
      imported: 'true',
      'certificate-arn': imported?.arn,
      'days-remaining': '90',
      changed: 'true'
    })
    // Judged from the PEM: ACM is not asked to describe what the run has just imported.
    expect(run.world.made('describeCertificate').map((call) => call.arn)).toEqual([OLD])
    expect(run.world.calls.map((call) => call.op)).toEqual([
      'listIssued',
      'describe',
      'describeCertificate',
      'import',
      'update'
    ])
  })

  test('a rerun finds the earlier import by its tags and imports nothing', async () => {
    const run = await runFlow(
      withPem({
        setup: (world) => {
          heldAs(world, EARLIER)
        }
      })
    )

    expect(run.world.acm.imports).toEqual([])
    expect(run.world.cognito.certificateArn).toBe(EARLIER)
    expect(run.outputs).toMatchObject({ imported: 'false', 'certificate-arn': EARLIER })
    expect(run.lines).toContainEqual(
      expect.stringContaining(`ACM already holds this certificate, imported by an earlier run`)
    )
  })

  test('the domain already carries it: nothing imported, nothing sent', async () => {
    const run = await runFlow(
      withPem({
        setup: (world) => {
          heldAs(world, EARLIER)
          world.cognito.change({ certificateArn: EARLIER })
        }
      })
    )
    expect(run.result.unchanged).toBe(true)
    expect(run.world.acm.imports).toEqual([])
    expect(run.world.made('update')).toEqual([])
  })

  test('the domain carries the same leaf imported by someone else: nothing imported, and the chain was not compared', async () => {
    const run = await runFlow(
      withPem({
        setup: (world) => {
          heldAs(world, arn('by-hand'), {})
          world.cognito.change({ certificateArn: arn('by-hand') })
          world.acm.add({ ...ISSUED, CertificateArn: arn('by-hand'), Serial: PEM.serial })
        }
      })
    )
    expect(run.result.unchanged).toBe(true)
    expect(run.world.acm.imports).toEqual([])
    expect(run.world.made('update')).toEqual([])
    expect(run.lines).toContainEqual(
      expect.stringContaining(
        `the domain carries this certificate (${arn('by-hand')}: the same serial and expiry), imported outside this action, so the chain ACM holds for it was not compared. Nothing is imported.`
      )
    )
  })

  test('the domain carries the same leaf with another chain: a chain fix imports it again and puts it on', async () => {
    const run = await runFlow(
      withPem({
        setup: (world) => {
          heldAs(world, EARLIER, OTHER_CHAIN)
          world.cognito.change({ certificateArn: EARLIER })
        }
      })
    )
    expect(run.result.failure).toBeUndefined()
    const [imported] = run.world.acm.imports
    expect(imported?.chain).toBe(PEM.chain)
    expect(run.world.acm.tags.get(imported?.arn ?? '')).toEqual(OURS)
    expect(run.world.cognito.certificateArn).toBe(imported?.arn)
    expect(run.outputs).toMatchObject({ changed: 'true', imported: 'true' })
  })

  test('an earlier import of the same leaf with another chain is not reused', async () => {
    const run = await runFlow(
      withPem({
        setup: (world) => {
          heldAs(world, EARLIER, OTHER_CHAIN)
        }
      })
    )
    expect(run.world.acm.imports).toHaveLength(1)
    expect(run.world.cognito.certificateArn).not.toBe(EARLIER)
  })

  test('an import tagged for another domain is not reused', async () => {
    const run = await runFlow(
      withPem({
        setup: (world) => {
          heldAs(world, EARLIER, { ...OURS, [TAG_DOMAIN]: 'login.example.com' })
        }
      })
    )
    expect(run.world.acm.imports).toHaveLength(1)
  })
})

describe('an import that fails or whose answer is lost', () => {
  test('throttled, then imported: ACM is looked at before the next attempt', async () => {
    const run = await runFlow(
      withPem({ setup: (world) => world.acm.scriptOp('import', throttle()) })
    )
    expect(run.world.made('import')).toHaveLength(2)
    expect(run.world.acm.imports).toHaveLength(1)
    expect(run.world.clock.sleeps).toContain(1_000)
  })

  test('its answer lost: the look finds it by its tags, and nothing is imported twice', async () => {
    const run = await runFlow(withPem({ setup: (world) => world.acm.scriptOp('import', lose()) }))
    expect(run.world.made('import')).toHaveLength(1)
    expect(run.world.acm.imports).toHaveLength(1)
    expect(run.world.cognito.certificateArn).toBe(run.world.acm.imports[0]?.arn)
    expect(run.outputs.imported).toBe('true')
  })

  test('its answer lost and the look afterwards fails: whether it was imported is unknown, nothing sent', async () => {
    const run = await runFlow(
      withPem({
        setup: (world) => {
          world.acm.scriptOp('import', lose())
          // The run's own listing, then the look after the lost import.
          world.acm.scriptList(asIs, refuse('InternalFailure', 500))
        }
      })
    )
    expect(run.result.result).toBe('Failed')
    expect(run.result.failure).toContain('ACM could not be looked at afterwards either')
    expect(run.result.failure).toContain('Whether ACM imported it is unknown')
    expect(run.result.failure).not.toContain('Nothing was imported')
    expect(run.world.made('update')).toEqual([])
  })

  test.each([
    [
      'ACM refuses the certificate',
      refuse('ValidationException'),
      'ACM refused to import the certificate'
    ],
    [
      'the role may not import',
      refuse('AccessDeniedException'),
      'acm:ImportCertificate and acm:AddTagsToCertificate'
    ],
    [
      'a tag policy forbids the tags',
      refuse('TagPolicyException'),
      'allow the keys cognito-domain-cert:domain'
    ]
  ])('%s: the run fails, and nothing is sent to Cognito', async (_name, step, said) => {
    const run = await runFlow(withPem({ setup: (world) => world.acm.scriptOp('import', step) }))
    expect(run.result.result).toBe('Failed')
    expect(run.result.failure).toContain(said)
    expect(run.result.failure).toContain('Nothing was imported, and nothing was sent to Cognito.')
    expect(run.world.made('update')).toEqual([])
    expect(run.outputs).toMatchObject({
      changed: 'false',
      imported: 'false',
      'certificate-arn': OLD
    })
  })

  test('the tags of a candidate can not be read: the run fails before anything is imported', async () => {
    const run = await runFlow(
      withPem({
        setup: (world) => {
          heldAs(world, EARLIER)
          world.acm.scriptOp('listTags', refuse('AccessDeniedException'))
        }
      })
    )
    expect(run.result.failure).toContain('acm:ListTagsForCertificate')
    expect(run.world.acm.imports).toEqual([])
  })
})

test('a dry run says it would import, imports nothing and sends nothing', async () => {
  const run = await runFlow(withPem({ inputs: { 'dry-run': 'true' } }))
  expect(run.world.acm.imports).toEqual([])
  expect(run.world.made('update')).toEqual([])
  expect(run.result.result).toBe('Dry run: the certificate would be changed')
  expect(run.lines).toContainEqual(
    expect.stringContaining('a real run would import it as a new certificate')
  )
  expect(run.outputs).toMatchObject({ changed: 'true', 'certificate-arn': '', imported: 'false' })
  // Not in ACM yet, so not ISSUED there: the summary gives its dates only.
  expect(run.summary['New certificate']).toMatch(
    /^\(certificate-pem, to be imported\) \(valid until /
  )
  expect(run.summary['New certificate']).not.toContain('ISSUED')
})

test('a rollout that fails is rolled back; the import stays in ACM for a rerun to reuse', async () => {
  const run = await runFlow(
    withPem({
      inputs: {
        'wait-for-rollout': 'true',
        'rollback-on-failure': 'true',
        'wait-timeout-minutes': '0.5'
      },
      setup: (world) => world.cognito.rollouts.push(600_000, 10_000)
    })
  )
  expect(run.result.result).toBe('Failed; rolled back')
  expect(run.world.cognito.certificateArn).toBe(OLD)
  expect(run.world.acm.certificates.has(run.world.acm.imports[0]?.arn ?? '')).toBe(true)
})

test('cancelled while importing: nothing was sent to Cognito, and a rerun finds the import', async () => {
  const run = await runFlow(withPem({ cancelWhen: (call) => call.op === 'import' }))
  expect(run.result.failure).toContain('before any change was sent: nothing was changed.')
  expect(run.result.failure).toContain('a rerun finds it by its tags and imports nothing twice')
  expect(run.world.afterCancel()).toEqual([])
})

test('with a certificate given by ARN, NEW is still judged through ACM', async () => {
  const run = await runFlow()
  expect(run.world.made('describeCertificate').map((call) => call.arn)).toContain(NEW)
  expect(run.outputs.imported).toBe('false')
})

test('a domain still UPDATING from another change: refused before anything is imported', async () => {
  const run = await runFlow(
    withPem({
      setup: (world) => {
        world.cognito.change({ status: 'UPDATING' })
      }
    })
  )
  expect(run.result.result).toBe('Refused')
  expect(run.result.failure).toContain('is UPDATING: another change is still being distributed')
  expect(run.result.failure).toContain('Nothing was imported, and nothing was changed.')
  expect(run.world.made('import')).toEqual([])
  expect(run.world.made('update')).toEqual([])
})
