import * as core from '@actions/core'
import { checkDomain, domainKind, type DomainKind } from './domain-name.js'
import {
  checkCertificateArn,
  checkRegionGuard,
  checkUserPoolId,
  type UserPool
} from './identifiers.js'
import {
  checkBoolean,
  checkChoice,
  checkEndpoint,
  checkMaxAttempts,
  checkMinutes,
  checkWholeNumber,
  type Endpoint
} from './values.js'
import { hasControlCharacter } from '../common/display.js'
import { accept, combine, reject, type Checked, type Problem } from './problem.js'

export const SECURITY_POLICIES = ['TLS_V1', 'TLS_V1_2_2021', 'TLS_V1_3_2025'] as const
export type SecurityPolicy = (typeof SECURITY_POLICIES)[number]
export const MANAGED_LOGIN_VERSIONS = ['1', '2'] as const

/** How many attempts an AWS call gets, and how long each may take. */
export interface CallLimits {
  maxAttempts: number
  /** One attempt: connecting, the answer's headers and its whole body. */
  attemptMs: number
}

/** Everything a run needs, checked. */
export interface Settings {
  domain: string
  /** custom (auth.example.com), or prefix when only the managed login version changes. */
  domainKind: DomainKind
  pool: UserPool
  /**
   * The certificate to put on the domain; undefined: keep the current one (or, with `newest`, the
   * one chosen from ACM once the run has looked).
   */
  certificateArn: string | undefined
  /** certificate-arn: newest: the ISSUED certificate in ACM that covers the domain and expires last. */
  newest: boolean
  /** The TLS security policy to set; undefined: keep the current one. */
  securityPolicy: SecurityPolicy | undefined
  /** 1 = classic hosted UI, 2 = managed login; undefined: keep the current one. */
  managedLoginVersion: 1 | 2 | undefined
  /** Attempts per AWS call, and the deadline of each (and of each probe of the edge). */
  limits: CallLimits
  /** Check the certificate in ACM before any change. */
  verifyCertificate: boolean
  /** Warn when the certificate has fewer days left than this. */
  minDaysRemaining: number
  /** Check and plan only; make no change. */
  dryRun: boolean
  rollout: RolloutSettings
  /** Where a GitHub deployment is recorded (with github-token). */
  environment: string
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
  'managed-login-version',
  'security-policy',
  'aws-region',
  'max-attempts',
  'attempt-timeout-seconds',
  'verify-certificate',
  'min-days-remaining',
  'dry-run',
  'wait-for-rollout',
  'wait-timeout-minutes',
  'poll-interval-seconds',
  'verify-tls',
  'tls-endpoint',
  'rollback-on-failure',
  'github-token',
  'environment'
] as const

export type RawInputs = Record<(typeof INPUT_NAMES)[number], string>

/** The defaults action.yml declares, for an input that is empty or not set at all. */
export const INPUT_DEFAULTS: Partial<RawInputs> = {
  'max-attempts': '5',
  'attempt-timeout-seconds': '15',
  'verify-certificate': 'true',
  'min-days-remaining': '30',
  'dry-run': 'false',
  'wait-for-rollout': 'false',
  'wait-timeout-minutes': '60',
  'poll-interval-seconds': '15',
  'verify-tls': 'true',
  'rollback-on-failure': 'false'
}

/** certificate-arn's one word: the certificate in ACM that covers the domain and expires last. */
export const NEWEST = 'newest'
export const MAX_DAYS_REMAINING = 3650
export const MAX_WAIT_MINUTES = 360
export const MAX_POLL_SECONDS = 600
export const MAX_ATTEMPT_SECONDS = 120

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
  const versionOnly =
    raw['certificate-arn'] === '' &&
    raw['security-policy'] === '' &&
    raw['managed-login-version'] !== ''
  const checked = combine({
    domain: checkDomain(raw.domain, versionOnly),
    pool,
    regionGuard: checkRegionGuard(raw['aws-region'], knownPool),
    certificateArn: checkWhatChanges(raw, knownPool),
    managedLoginVersion: checkChoice(
      'managed-login-version',
      raw['managed-login-version'],
      MANAGED_LOGIN_VERSIONS,
      '1 (classic hosted UI) or 2 (managed login)'
    ),
    securityPolicy: checkChoice(
      'security-policy',
      raw['security-policy'],
      SECURITY_POLICIES,
      'TLS_V1_2_2021 (recommended), TLS_V1_3_2025 (TLS 1.3 only) or TLS_V1 (allows TLS 1.0)'
    ),
    maxAttempts: checkMaxAttempts(raw['max-attempts']),
    attemptSeconds: checkWholeNumber(
      'attempt-timeout-seconds',
      raw['attempt-timeout-seconds'],
      1,
      MAX_ATTEMPT_SECONDS,
      'the seconds one attempt of an AWS call (or one check of the edge) may take, for example 15'
    ),
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
    rollbackOnFailure: flag('rollback-on-failure'),
    environment: checkEnvironment(raw.environment)
  })
  if ('problems' in checked) return checked
  const { values } = checked
  return {
    settings: {
      domain: values.domain,
      domainKind: domainKind(values.domain),
      pool: values.pool,
      certificateArn: values.certificateArn === NEWEST ? undefined : values.certificateArn,
      newest: values.certificateArn === NEWEST,
      securityPolicy: values.securityPolicy,
      managedLoginVersion:
        values.managedLoginVersion === undefined
          ? undefined
          : values.managedLoginVersion === '2'
            ? 2
            : 1,
      limits: { maxAttempts: values.maxAttempts, attemptMs: values.attemptSeconds * 1000 },
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
      },
      environment: values.environment ?? `cognito/${values.domain}`
    }
  }
}

/**
 * certificate-arn, which may be left out when managed-login-version or security-policy says what
 * changes instead: a run has to change something.
 */
function checkWhatChanges(raw: RawInputs, pool: UserPool | undefined): Checked<string | undefined> {
  const arn = raw['certificate-arn']
  if (arn === NEWEST) return accept(NEWEST)
  if (arn !== '' && arn.trim().toLowerCase() === NEWEST)
    return reject(
      'certificate-arn',
      arn,
      'is not an ARN, nor the word newest as written',
      `Write certificate-arn: ${NEWEST} (lowercase, nothing around it) to follow the newest certificate in ACM, or give an ARN.`
    )
  if (arn !== '') return checkCertificateArn(arn, pool)
  if (raw['managed-login-version'] !== '' || raw['security-policy'] !== '') return accept(undefined)
  return reject(
    'certificate-arn',
    arn,
    'is required when neither managed-login-version nor security-policy is given',
    'Give certificate-arn to rotate the certificate (an ACM certificate in us-east-1), or managed-login-version or security-policy to change only those.'
  )
}

/** A GitHub environment name, or undefined for the default cognito/<domain>. */
function checkEnvironment(value: string): Checked<string | undefined> {
  if (value === '') return accept(undefined)
  if (hasControlCharacter(value) || value.length > 255 || value.trim() !== value)
    return reject(
      'environment',
      value,
      'is not a GitHub environment name: at most 255 characters on one line, without spaces around it',
      'Give a name such as production or cognito/auth.example.com, or leave it out for cognito/<domain>.'
    )
  return accept(value)
}
