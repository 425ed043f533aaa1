import { describe, expect, test } from '@jest/globals'
import { TAG_DOMAIN, TAG_SHA256 } from '../../src/flow/import.js'
import {
  asIs,
  certificate,
  DOMAIN,
  lose,
  NEW,
  OLD,
  refuse,
  slow,
  stall,
  type Step,
  type World
} from '../support/fake-aws.ts'
import { runFlow, type FlowOptions } from '../support/flow.ts'

const OURS = { [TAG_DOMAIN]: DOMAIN, [TAG_SHA256]: 'cd'.repeat(32) }
const kept = (run: Awaited<ReturnType<typeof runFlow>>) =>
  run.warnings.map((note) => `${note.title}: ${note.message}`).join('\n')

/** A rotation from OLD to NEW with retire-replaced; OLD carries `tags`. */
function retiring(
  tags: Record<string, string>,
  setup: (world: World) => void = () => undefined,
  inputs: FlowOptions['inputs'] = {}
): FlowOptions {
  return {
    inputs: { 'wait-for-rollout': 'true', 'retire-replaced': 'true', ...inputs },
    setup: (world) => {
      world.acm.tags.set(OLD, tags)
      setup(world)
    }
  }
}

describe('retire-replaced', () => {
  test('deletes the certificate it replaced once the edge serves the new one, when this action imported it', async () => {
    const run = await runFlow(retiring(OURS))

    expect(run.result.failure).toBeUndefined()
    expect(run.world.acm.certificates.has(OLD)).toBe(false)
    expect(run.outputs['retired-certificate-arn']).toBe(OLD)
    const deleted = run.world.made('delete')[0]
    const served = run.world.made('edge').at(-1)
    expect((deleted?.at ?? 0) >= (served?.at ?? Infinity)).toBe(true)
    // The way back is no longer "run again with certificate-arn: OLD": OLD is gone.
    expect(run.result.detail).not.toContain(`certificate-arn: ${OLD}`)
    expect(run.result.detail).toContain(`${OLD}, which this change replaced, was deleted from ACM`)
    expect(run.result.detail).toContain('certificate-pem')
  })

  test('a replaced certificate kept says how to roll back to it', async () => {
    const run = await runFlow(retiring({ [TAG_DOMAIN]: 'login.example.com', [TAG_SHA256]: 'x' }))
    expect(run.result.detail).toContain(
      `To roll back, run this action again with certificate-arn: ${OLD}`
    )
  })

  test('the replaced certificate is gone before retire-replaced reads its tags: a warning says so', async () => {
    const run = await runFlow(
      retiring(OURS, (world) => world.acm.scriptOp('listTags', refuse('ResourceNotFoundException')))
    )
    expect(run.result.failure).toBeUndefined()
    expect(run.outputs['retired-certificate-arn']).toBe('')
    expect(kept(run)).toContain(
      `Replaced certificate already gone: ${OLD} was not retired: ACM no longer holds it`
    )
    expect(kept(run)).not.toContain('kept in ACM')
  })

  test('keeps one this action did not import for the domain, and says so', async () => {
    const run = await runFlow(retiring({ [TAG_DOMAIN]: 'login.example.com', [TAG_SHA256]: 'x' }))
    expect(run.world.acm.certificates.has(OLD)).toBe(true)
    expect(run.outputs['retired-certificate-arn']).toBe('')
    expect(run.warnings).toContainEqual(
      expect.objectContaining({
        title: 'Replaced certificate kept',
        message: expect.stringContaining(`this action did not import it for ${DOMAIN}`)
      })
    )
  })

  test('keeps an ACM-issued certificate even when tagged', async () => {
    const run = await runFlow(
      retiring(OURS, (world) => {
        const old = world.acm.certificates.get(OLD)
        if (old !== undefined) old.Type = 'AMAZON_ISSUED'
      })
    )
    expect(run.world.acm.certificates.has(OLD)).toBe(true)
    expect(run.warnings.map((note) => note.message).join(' ')).toContain(
      'not an imported certificate'
    )
  })

  test('waits for InUseBy to clear, then deletes it at once', async () => {
    const run = await runFlow(
      retiring(OURS, (world) => {
        // The run reads it once as the certificate in use; then it is looked at twice in use.
        const busy = ['arn:aws:cloudfront::1:distribution/E1']
        world.acm.inUseBy.set(OLD, [busy, busy, busy, []])
      })
    )
    expect(run.world.acm.certificates.has(OLD)).toBe(false)
    expect(run.lines.filter((line) => line.includes('is still in use by'))).toHaveLength(2)
  })

  test('still in use when the wait runs out: kept, with a warning', async () => {
    const run = await runFlow(
      retiring(
        OURS,
        (world) => world.acm.inUseBy.set(OLD, [['arn:aws:cloudfront::1:distribution/E1']]),
        { 'wait-timeout-minutes': '1' }
      )
    )
    expect(run.world.acm.certificates.has(OLD)).toBe(true)
    expect(run.result.failure).toBeUndefined()
    expect(run.warnings.map((note) => note.message).join(' ')).toContain(
      'still in use when wait-timeout-minutes ran out'
    )
    expect(run.seconds).toBeLessThanOrEqual(61)
  })

  test.each([
    ['ACM says it is in use', refuse('ResourceInUseException'), 'still in use'],
    ['the role may not delete it', refuse('AccessDeniedException'), 'acm:DeleteCertificate']
  ])('%s: kept, with a warning, and the run still succeeds', async (_name, step, said) => {
    const run = await runFlow(retiring(OURS, (world) => world.acm.scriptOp('delete', step)))
    expect(run.world.acm.certificates.has(OLD)).toBe(true)
    expect(run.result.failure).toBeUndefined()
    expect(run.warnings.map((note) => note.message).join(' ')).toContain(said)
  })

  test('nothing is retired when the rollout fails', async () => {
    const run = await runFlow(
      retiring(OURS, (world) => world.cognito.rollouts.push(600_000), {
        'wait-timeout-minutes': '0.5'
      })
    )
    expect(run.result.failure).toBeDefined()
    expect(run.world.made('delete')).toEqual([])
    expect(run.world.made('listTags')).toEqual([])
  })

  test('a dry run says what it would retire, and deletes nothing', async () => {
    const run = await runFlow(retiring(OURS, () => undefined, { 'dry-run': 'true' }))
    expect(run.world.made('delete')).toEqual([])
    expect(run.lines).toContainEqual(
      expect.stringContaining(`a real run would delete ${OLD} from ACM`)
    )
  })

  test('a run that sends nothing retires nothing', async () => {
    const run = await runFlow(
      retiring(OURS, (world) => {
        world.cognito.change({ certificateArn: NEW })
      })
    )
    expect(run.world.made('delete')).toEqual([])
  })

  test('the domain carries it again (another change after the edge check): kept, nothing deleted', async () => {
    const putBack: Step = async ({ proceed, world }) => {
      const served = await proceed()
      world.cognito.change({ certificateArn: OLD })
      return served
    }
    const run = await runFlow(retiring(OURS, (world) => world.edge.script(putBack)))
    expect(run.world.made('delete')).toEqual([])
    expect(run.world.acm.certificates.has(OLD)).toBe(true)
    expect(kept(run)).toContain('the domain carries it again')
    expect(run.outputs['retired-certificate-arn']).toBe('')
  })

  test('the new certificate expires before the one it replaced: kept, as the one to go back to', async () => {
    const run = await runFlow(
      retiring(OURS, (world) => world.acm.add(certificate(OLD, { days: 500 })))
    )
    expect(run.world.made('delete')).toEqual([])
    expect(kept(run)).toContain(`the certificate that replaced it, ${NEW}, expires on`)
    expect(kept(run)).toContain('it stays as the certificate to go back to')
  })

  test("the delete's answer is lost: ACM is looked at, and the certificate is gone, so it was retired", async () => {
    const run = await runFlow(retiring(OURS, (world) => world.acm.scriptOp('delete', lose())))
    expect(run.world.made('delete')).toHaveLength(1)
    expect(run.world.acm.certificates.has(OLD)).toBe(false)
    expect(run.outputs['retired-certificate-arn']).toBe(OLD)
    expect(kept(run)).toBe('')
  })

  test('the delete stalls and never reaches ACM: the look finds it there, and says it was kept', async () => {
    const run = await runFlow(retiring(OURS, (world) => world.acm.scriptOp('delete', stall())))
    expect(run.world.acm.certificates.has(OLD)).toBe(true)
    expect(run.outputs['retired-certificate-arn']).toBe('')
    expect(kept(run)).toContain(`${OLD} was kept in ACM: DeleteCertificate did not go through`)
    expect(run.result.failure).toBeUndefined()
  })

  test("the delete's answer is lost and the look fails too: whether it was deleted is said to be unknown", async () => {
    const run = await runFlow(
      retiring(OURS, (world) => {
        world.acm.scriptOp('delete', lose())
        // Read as the certificate in use, then before the delete, then after it.
        world.acm.script(OLD, asIs, asIs, refuse('InternalFailure', 500))
      })
    )
    expect(run.world.acm.certificates.has(OLD)).toBe(false)
    expect(run.outputs['retired-certificate-arn']).toBe('')
    expect(kept(run)).toContain(
      `Replaced certificate perhaps kept: Whether ${OLD} was deleted from ACM is unknown`
    )
  })

  test('no time left of the wait once the edge serves it: kept, and the message says so', async () => {
    const run = await runFlow(
      retiring(
        OURS,
        (world) => {
          // The update takes longer than the whole wait; its one last poll finds it ACTIVE.
          world.cognito.rolloutMs = 0
          world.cognito.script('update', slow(40_000))
        },
        { 'wait-timeout-minutes': '0.5', 'attempt-timeout-seconds': '60' }
      )
    )
    expect(run.result.failure).toBeUndefined()
    expect(run.world.made('delete')).toEqual([])
    expect(kept(run)).toContain('ran out before it could be retired')
    expect(kept(run)).toContain(
      `\`aws acm describe-certificate --certificate-arn ${OLD} --region us-east-1\` shows an empty InUseBy`
    )
    expect(kept(run)).not.toContain('run again')
  })
})
