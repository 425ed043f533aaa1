import * as core from '@actions/core'
import { checkDomain } from './domain-name.js'
import {
  checkCertificateArn,
  checkRegionGuard,
  checkUserPoolId,
  type UserPool
} from './identifiers.js'
import {
  checkBoolean,
  checkEndpoint,
  checkMaxAttempts,
  checkMinutes,
  checkWholeNumber,
  type Endpoint
} from './input-values.js'
import { combine, type Problem } from './problem.js'

/** Everything a run needs, checked. */
export interface Settings {
  domain: string
  pool: UserPool
  certificateArn: string
  maxAttempts: number
  /** Check the certificate in ACM before any change. */
  verifyCertificate: boolean
  /** Warn when the certificate has fewer days left than this. */
  minDaysRemaining: number
  /** Check and plan only; make no change. */
  dryRun: boolean
  rollout: RolloutSettings
}

/** What to do after a change: follow it to the edge, and undo it if it fails. */
export interface RolloutSettings {
  wait: boolean
  timeoutMs: number
  intervalMs: number
  verifyTls: boolean
  /** Where to check the served certificate; the CloudFront domain on 443 when not given. */
  tlsEndpoint: Endpoint | undefined
  rollbackOnFailure: boolean
}

export const INPUT_NAMES = [
  'domain',
  'user-pool-id',
  'certificate-arn',
  'aws-region',
  'max-attempts',
  'verify-certificate',
  'min-days-remaining',
  'dry-run',
  'wait-for-rollout',
  'wait-timeout-minutes',
  'poll-interval-seconds',
  'verify-tls',
  'tls-endpoint',
  'rollback-on-failure'
] as const

export type RawInputs = Record<(typeof INPUT_NAMES)[number], string>

/** The defaults action.yml declares, for an input that is empty or not set at all. */
export const INPUT_DEFAULTS: Partial<RawInputs> = {
  'max-attempts': '5',
  'verify-certificate': 'true',
  'min-days-remaining': '30',
  'dry-run': 'false',
  'wait-for-rollout': 'false',
  'wait-timeout-minutes': '60',
  'poll-interval-seconds': '15',
  'verify-tls': 'true',
  'rollback-on-failure': 'false'
}

export const MAX_DAYS_REMAINING = 3650
export const MAX_WAIT_MINUTES = 360
export const MAX_POLL_SECONDS = 600

export function readRawInputs(): RawInputs {
  const raw = {} as RawInputs
  for (const name of INPUT_NAMES) raw[name] = core.getInput(name) || (INPUT_DEFAULTS[name] ?? '')
  return raw
}

/** Checks every input, and reports every broken rule at once rather than the first. */
export function checkInputs(raw: RawInputs): { settings: Settings } | { problems: Problem[] } {
  const pool = checkUserPoolId(raw['user-pool-id'])
  const knownPool = pool.ok ? pool.value : undefined
  const flag = (name: (typeof INPUT_NAMES)[number]) => checkBoolean(name, raw[name])
  const checked = combine({
    domain: checkDomain(raw.domain),
    pool,
    regionGuard: checkRegionGuard(raw['aws-region'], knownPool),
    certificateArn: checkCertificateArn(raw['certificate-arn'], knownPool),
    maxAttempts: checkMaxAttempts(raw['max-attempts']),
    verifyCertificate: flag('verify-certificate'),
    minDaysRemaining: checkWholeNumber(
      'min-days-remaining',
      raw['min-days-remaining'],
      0,
      MAX_DAYS_REMAINING,
      'the number of days a new certificate should still be valid for, for example 30 (0 turns the warning off)'
    ),
    dryRun: flag('dry-run'),
    wait: flag('wait-for-rollout'),
    timeoutMinutes: checkMinutes(
      'wait-timeout-minutes',
      raw['wait-timeout-minutes'],
      MAX_WAIT_MINUTES,
      'how long to wait for the rollout in minutes, for example 60 (Cognito takes up to an hour)'
    ),
    intervalSeconds: checkWholeNumber(
      'poll-interval-seconds',
      raw['poll-interval-seconds'],
      1,
      MAX_POLL_SECONDS,
      'the seconds between two checks of the rollout, for example 15'
    ),
    verifyTls: flag('verify-tls'),
    tlsEndpoint: checkEndpoint('tls-endpoint', raw['tls-endpoint']),
    rollbackOnFailure: flag('rollback-on-failure')
  })
  if ('problems' in checked) return checked
  const { values } = checked
  return {
    settings: {
      domain: values.domain,
      pool: values.pool,
      certificateArn: values.certificateArn,
      maxAttempts: values.maxAttempts,
      verifyCertificate: values.verifyCertificate,
      minDaysRemaining: values.minDaysRemaining,
      dryRun: values.dryRun,
      rollout: {
        wait: values.wait,
        timeoutMs: values.timeoutMinutes * 60_000,
        intervalMs: values.intervalSeconds * 1000,
        verifyTls: values.verifyTls,
        tlsEndpoint: values.tlsEndpoint,
        rollbackOnFailure: values.rollbackOnFailure
      }
    }
  }
}
