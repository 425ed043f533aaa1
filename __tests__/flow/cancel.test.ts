import { describe, expect, test } from '@jest/globals'
import { NEW, OLD, throttle, type Call, type Operation } from '../support/fake-aws.ts'
import { cancelledResult } from '../../src/flow/cancelled.js'
import { Progress } from '../../src/flow/progress.js'
import { runFlow, type FlowOptions } from '../support/flow.ts'
import { settingsFor } from '../support/settings.ts'

const rollback = {
  'wait-for-rollout': 'true',
  'rollback-on-failure': 'true',
  'wait-timeout-minutes': '0.5'
}

/** A rotation with retire-replaced, from OLD, which this action imported for the domain. */
function retiring(setup: FlowOptions['setup'] = () => undefined): FlowOptions {
  return {
    inputs: { 'wait-for-rollout': 'true', 'retire-replaced': 'true' },
    setup: (world) => {
      world.acm.tags.set(OLD, {
        'cognito-domain-cert:domain': 'auth.example.com',
        'cognito-domain-cert:sha256': 'ab'.repeat(32)
      })
      setup(world)
    }
  }
}

/** Cancels the job as the n-th call of `op` starts. */
function at(op: Operation, n = 1): (call: Call) => boolean {
  let seen = 0
  return (call: Call) => call.op === op && ++seen === n
}

/** Where the job is cancelled, the result and what its failure says, and outputs to expect. */
type Case = [string, FlowOptions, string, string, Record<string, string | undefined>]

const cases: Case[] = [
  [
    'while the domain is described',
    { cancelWhen: at('describe') },
    'Cancelled',
    'Cancelled (SIGINT) before any change was sent: nothing was changed.',
    { changed: 'false', 'certificate-arn': undefined }
  ],
  [
    'while the new certificate is read',
    { cancelWhen: at('describeCertificate') },
    'Cancelled',
    'before any change was sent: nothing was changed.',
    { changed: 'false', 'previous-certificate-arn': undefined }
  ],
  [
    'while the update is sent',
    { cancelWhen: at('update') },
    'Cancelled while sending the change',
    'while UpdateUserPoolDomain was being sent: Cognito may have applied the change.',
    { changed: undefined, 'certificate-arn': '' }
  ],
  [
    'in the pause before a resend',
    { cancelAt: 500, setup: (world) => world.cognito.script('update', throttle()) },
    'Cancelled while sending the change',
    `certificate-arn: ${OLD}`,
    { changed: undefined, 'certificate-arn': '' }
  ],
  [
    'at the first poll',
    { inputs: { 'wait-for-rollout': 'true' }, cancelWhen: at('poll') },
    'Cancelled while waiting',
    'while waiting for the rollout, 0 s after the change was sent: the domain was not described yet.',
    { changed: 'true', 'certificate-arn': NEW }
  ],
  [
    'in the pause between two polls',
    { inputs: { 'wait-for-rollout': 'true' }, cancelAt: 20_000 },
    'Cancelled while waiting',
    `20 s after the change was sent: the domain was UPDATING on certificate ${NEW}. The change was sent; Cognito goes on distributing it without this job.`,
    { changed: 'true' }
  ],
  [
    'while the edge is checked',
    { inputs: { 'wait-for-rollout': 'true' }, cancelWhen: at('edge') },
    'Cancelled while waiting',
    `the domain was ACTIVE on certificate ${NEW}`,
    { changed: 'true', status: 'ACTIVE' }
  ],
  [
    'while the domain is described before the rollback',
    {
      inputs: rollback,
      setup: (world) => world.cognito.rollouts.push(600_000),
      cancelWhen: at('describe', 2)
    },
    'Cancelled while rolling back',
    'while rolling back after: The domain was still UPDATING',
    { 'certificate-arn': '' }
  ],
  [
    "while the rollback's update is sent",
    {
      inputs: rollback,
      setup: (world) => world.cognito.rollouts.push(600_000),
      cancelWhen: at('update', 2)
    },
    'Cancelled while rolling back',
    'The rollback may not have been sent or completed.',
    { 'certificate-arn': '' }
  ],
  [
    "while the rollback's wait polls",
    {
      inputs: rollback,
      setup: (world) => world.cognito.rollouts.push(600_000),
      cancelWhen: at('poll', 3)
    },
    'Cancelled while rolling back',
    `certificate-arn: ${OLD}`,
    { 'certificate-arn': '' }
  ],
  [
    'while retire-replaced deletes the certificate it replaced',
    {
      ...retiring(),
      cancelWhen: at('delete')
    },
    'Cancelled while retiring the replaced certificate',
    `while retire-replaced was deleting ${OLD} from ACM: the change is done and stays; whether the delete went through is unknown.`,
    { changed: 'true', 'certificate-arn': NEW, 'retired-certificate-arn': '' }
  ],
  [
    "while retire-replaced reads the replaced certificate's tags, before any delete",
    {
      ...retiring(),
      cancelWhen: at('listTags')
    },
    'Cancelled while retiring the replaced certificate',
    `while retire-replaced was looking at ${OLD} before deleting it: the change is done and stays, and ${OLD} was not deleted: it stays in ACM (us-east-1).`,
    { changed: 'true', 'certificate-arn': NEW, 'retired-certificate-arn': '' }
  ],
  [
    'while retire-replaced waits for the replaced certificate to be released',
    {
      ...retiring((world) =>
        world.acm.inUseBy.set(OLD, [['arn:aws:cloudfront::123456789012:distribution/E1']])
      ),
      cancelAt: 120_000
    },
    'Cancelled while retiring the replaced certificate',
    `${OLD} was not deleted: it stays in ACM (us-east-1).`,
    { changed: 'true', 'certificate-arn': NEW, 'retired-certificate-arn': '' }
  ],
  [
    'while a run that found the change on the domain waits',
    {
      inputs: { 'wait-for-rollout': 'true' },
      setup: (world) => {
        world.cognito.change({ certificateArn: NEW, status: 'UPDATING' })
      },
      cancelWhen: at('poll')
    },
    'Cancelled while waiting',
    'This run sent no change.',
    { changed: 'false' }
  ]
]

describe('a job cancelled at each stage ends with where the domain was left, and sends nothing more', () => {
  test.each(cases)('%s', async (_stage, options, result, said, outputs) => {
    const run = await runFlow(options)

    expect(run.cancelled).toBe(true)
    expect(run.result.result).toBe(result)
    expect(run.result.failure).toContain(said)
    expect(run.world.afterCancel()).toEqual([])
    for (const [name, value] of Object.entries(outputs)) expect(run.outputs[name]).toBe(value)
  })
})

test.each([false, true])(
  'a retire cancelled in another partition names the region ACM holds it in (delete sent: %s)',
  (sent) => {
    const old = 'arn:aws-us-gov:acm:us-gov-west-1:123456789012:certificate/old'
    const settings = settingsFor({
      'user-pool-id': 'us-gov-west-1_AbC123',
      'certificate-arn': 'arn:aws-us-gov:acm:us-gov-west-1:123456789012:certificate/new',
      'wait-for-rollout': 'true',
      'retire-replaced': 'true'
    })
    const progress = new Progress(settings)
    const change = { input: 'certificate-arn', what: 'certificate', from: old, to: 'new' } as const
    progress.plan = { action: 'update', changes: [change] } as unknown as Progress['plan']
    progress.stage = 'retiring'
    progress.retireSent = sent
    const { failure } = cancelledResult(progress, 'SIGINT', 0)
    expect(failure).toContain(`ACM (us-gov-west-1)`)
    expect(failure).not.toContain('us-east-1')
  }
)
