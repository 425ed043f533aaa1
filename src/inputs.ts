import * as core from '@actions/core'
import { checkDomain } from './domain-name.js'
import {
  checkCertificateArn,
  checkRegionGuard,
  checkUserPoolId,
  type UserPool
} from './identifiers.js'
import { checkBoolean, checkMaxAttempts, checkWholeNumber } from './input-values.js'
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
}

const INPUT_NAMES = [
  'domain',
  'user-pool-id',
  'certificate-arn',
  'aws-region',
  'max-attempts',
  'verify-certificate',
  'min-days-remaining',
  'dry-run'
] as const

export type RawInputs = Record<(typeof INPUT_NAMES)[number], string>

/** The defaults action.yml declares, for an input that is empty or not set at all. */
export const INPUT_DEFAULTS: Partial<RawInputs> = {
  'max-attempts': '5',
  'verify-certificate': 'true',
  'min-days-remaining': '30',
  'dry-run': 'false'
}

export const MAX_DAYS_REMAINING = 3650

export function readRawInputs(): RawInputs {
  const raw = {} as RawInputs
  for (const name of INPUT_NAMES) raw[name] = core.getInput(name) || (INPUT_DEFAULTS[name] ?? '')
  return raw
}

/** Checks every input, and reports every broken rule at once rather than the first. */
export function checkInputs(raw: RawInputs): { settings: Settings } | { problems: Problem[] } {
  const pool = checkUserPoolId(raw['user-pool-id'])
  const knownPool = pool.ok ? pool.value : undefined
  const checked = combine({
    domain: checkDomain(raw.domain),
    pool,
    regionGuard: checkRegionGuard(raw['aws-region'], knownPool),
    certificateArn: checkCertificateArn(raw['certificate-arn'], knownPool),
    maxAttempts: checkMaxAttempts(raw['max-attempts']),
    verifyCertificate: checkBoolean('verify-certificate', raw['verify-certificate']),
    minDaysRemaining: checkWholeNumber(
      'min-days-remaining',
      raw['min-days-remaining'],
      0,
      MAX_DAYS_REMAINING,
      'the number of days a new certificate should still be valid for, for example 30 (0 turns the warning off)'
    ),
    dryRun: checkBoolean('dry-run', raw['dry-run'])
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
      dryRun: values.dryRun
    }
  }
}
