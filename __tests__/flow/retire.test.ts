import { describe, expect, test } from '@jest/globals'
import { TAG_DOMAIN, TAG_SHA256 } from '../../src/flow/import.js'
import { DOMAIN, NEW, OLD, refuse, type World } from '../support/fake-aws.ts'
import { runFlow, type FlowOptions } from '../support/flow.ts'

const OURS = { [TAG_DOMAIN]: DOMAIN, [TAG_SHA256]: 'cd'.repeat(32) }

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
})
