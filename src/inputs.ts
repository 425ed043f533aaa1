import * as core from '@actions/core'
import { checkDomain } from './domain-name.js'
import {
  checkCertificateArn,
  checkMaxAttempts,
  checkRegionGuard,
  checkUserPoolId,
  type UserPool
} from './identifiers.js'
import type { Checked, Problem } from './problem.js'

/** Everything a run needs, checked. */
export interface Settings {
  domain: string
  pool: UserPool
  certificateArn: string
  maxAttempts: number
}

export type RawInputs = Record<
  'domain' | 'user-pool-id' | 'certificate-arn' | 'aws-region' | 'max-attempts',
  string
>

const DEFAULT_MAX_ATTEMPTS = '5'

export function readRawInputs(): RawInputs {
  return {
    domain: core.getInput('domain'),
    'user-pool-id': core.getInput('user-pool-id'),
    'certificate-arn': core.getInput('certificate-arn'),
    'aws-region': core.getInput('aws-region'),
    'max-attempts': core.getInput('max-attempts') || DEFAULT_MAX_ATTEMPTS
  }
}

/** Checks every input, and reports every broken rule at once rather than the first. */
export function checkInputs(raw: RawInputs): { settings: Settings } | { problems: Problem[] } {
  const domain = checkDomain(raw.domain)
  const pool = checkUserPoolId(raw['user-pool-id'])
  const knownPool = pool.ok ? pool.value : undefined
  const regionGuard = checkRegionGuard(raw['aws-region'], knownPool)
  const certificateArn = checkCertificateArn(raw['certificate-arn'], knownPool)
  const maxAttempts = checkMaxAttempts(raw['max-attempts'])

  if (domain.ok && pool.ok && regionGuard.ok && certificateArn.ok && maxAttempts.ok) {
    return {
      settings: {
        domain: domain.value,
        pool: pool.value,
        certificateArn: certificateArn.value,
        maxAttempts: maxAttempts.value
      }
    }
  }
  const checks: Checked<unknown>[] = [domain, pool, regionGuard, certificateArn, maxAttempts]
  return { problems: checks.flatMap((check) => (check.ok ? [] : [check.problem])) }
}
