import { describe, expect, test } from '@jest/globals'
import type { DomainDescriptionType } from '@aws-sdk/client-cognito-identity-provider'
import { changesText, planRotation, rollbackTarget, undoRequest } from '../../src/rules/plan.js'
import { settingsFor } from '../support/settings.ts'

const OLD = 'arn:aws:acm:us-east-1:123456789012:certificate/old'
const NEW = 'arn:aws:acm:us-east-1:123456789012:certificate/new'
const POOL = 'eu-west-1_AbC123'

const settings = () => settingsFor({ 'certificate-arn': NEW })

const active: DomainDescriptionType = {
  Domain: 'auth.example.com',
  UserPoolId: POOL,
  Status: 'ACTIVE',
  CloudFrontDistribution: 'd111111abcdef8.cloudfront.net',
  CustomDomainConfig: { CertificateArn: OLD }
}

describe('planRotation', () => {
  test('an ACTIVE custom domain on another certificate is updated, and only the certificate is sent', () => {
    expect(planRotation(settings(), active)).toEqual({
      action: 'update',
      current: {
        certificateArn: OLD,
        cloudFrontDomain: 'd111111abcdef8.cloudfront.net',
        status: 'ACTIVE',
        securityPolicy: undefined,
        managedLoginVersion: undefined
      },
      changes: [{ input: 'certificate-arn', what: 'certificate', from: OLD, to: NEW }],
      request: {
        Domain: 'auth.example.com',
        UserPoolId: POOL,
        CustomDomainConfig: { CertificateArn: NEW }
      },
      target: { to: { certificateArn: NEW }, from: { certificateArn: OLD } }
    })
  })

  test('the current security policy and managed login version are carried over; routing never is', () => {
    const plan = planRotation(settings(), {
      ...active,
      ManagedLoginVersion: 2,
      Routing: { Failover: { SecondaryRegion: 'eu-central-1', PrimaryRoute53HealthCheckId: 'x' } },
      CustomDomainConfig: { CertificateArn: OLD, SecurityPolicy: 'TLS_V1_3_2025' }
    })
    expect(plan.action === 'update' && plan.request).toEqual({
      Domain: 'auth.example.com',
      UserPoolId: POOL,
      CustomDomainConfig: { CertificateArn: NEW, SecurityPolicy: 'TLS_V1_3_2025' },
      ManagedLoginVersion: 2
    })
  })

  test('managed-login-version alone: the certificate and policy are sent as they are', () => {
    const plan = planRotation(
      settingsFor({ 'certificate-arn': '', 'managed-login-version': '2' }),
      {
        ...active,
        ManagedLoginVersion: 1,
        CustomDomainConfig: { CertificateArn: OLD, SecurityPolicy: 'TLS_V1_2_2021' }
      }
    )
    if (plan.action !== 'update') throw new Error(`planned ${plan.action}`)
    expect(plan.request).toEqual({
      Domain: 'auth.example.com',
      UserPoolId: POOL,
      CustomDomainConfig: { CertificateArn: OLD, SecurityPolicy: 'TLS_V1_2_2021' },
      ManagedLoginVersion: 2
    })
    expect(changesText(plan.changes)).toBe('managed login version 1 → 2')
  })

  test('security-policy with a new certificate: both change, and the undo puts both back', () => {
    const both = settingsFor({ 'security-policy': 'TLS_V1_3_2025' })
    const plan = planRotation(both, {
      ...active,
      CustomDomainConfig: { CertificateArn: OLD, SecurityPolicy: 'TLS_V1_2_2021' }
    })
    if (plan.action !== 'update') throw new Error(`planned ${plan.action}`)
    expect(plan.request.CustomDomainConfig).toEqual({
      CertificateArn: NEW,
      SecurityPolicy: 'TLS_V1_3_2025'
    })
    const now = { ...active, CustomDomainConfig: plan.request.CustomDomainConfig }
    expect(undoRequest(both, plan.changes, now).CustomDomainConfig).toEqual({
      CertificateArn: OLD,
      SecurityPolicy: 'TLS_V1_2_2021'
    })
    expect(changesText(plan.changes)).toBe(
      `certificate ${OLD} → ${NEW}; security policy TLS_V1_2_2021 → TLS_V1_3_2025`
    )
  })

  test.each([
    [{ 'certificate-arn': '', 'managed-login-version': '2' }],
    [{ 'certificate-arn': '', 'security-policy': 'TLS_V1_3_2025' }],
    [{ 'managed-login-version': '2', 'security-policy': 'TLS_V1_3_2025' }]
  ])('what the domain already has is kept: %j', (inputs) => {
    const plan = planRotation(settingsFor(inputs), {
      ...active,
      ManagedLoginVersion: 2,
      CustomDomainConfig: { CertificateArn: NEW, SecurityPolicy: 'TLS_V1_3_2025' }
    })
    expect(plan.action).toBe('keep')
  })

  test('a prefix domain: only the managed login version is sent, with no CustomDomainConfig', () => {
    const prefix = settingsFor({
      domain: 'myprefix',
      'certificate-arn': '',
      'managed-login-version': '2'
    })
    const description: DomainDescriptionType = {
      Domain: 'myprefix',
      UserPoolId: POOL,
      Status: 'ACTIVE',
      CloudFrontDistribution: 'dpp0gtexample.cloudfront.net',
      ManagedLoginVersion: 1
    }
    const plan = planRotation(prefix, description)
    if (plan.action !== 'update') throw new Error(`planned ${plan.action}`)
    expect(plan.request).toEqual({ Domain: 'myprefix', UserPoolId: POOL, ManagedLoginVersion: 2 })
    expect(plan.current.certificateArn).toBeUndefined()
    expect(planRotation(prefix, { ...description, ManagedLoginVersion: 2 }).action).toBe('keep')
  })

  test('a version the domain did not report: the change says so, the undo cannot restore it', () => {
    const plan = planRotation(
      settingsFor({ 'certificate-arn': '', 'managed-login-version': '2' }),
      active
    )
    if (plan.action !== 'update') throw new Error(`planned ${plan.action}`)
    expect(plan.changes[0]?.from).toBeUndefined()
    expect(changesText(plan.changes)).toBe('managed login version (not reported) → 2')
  })

  test('the requested certificate already in place: keep', () => {
    const plan = planRotation(settings(), {
      ...active,
      CustomDomainConfig: { CertificateArn: NEW }
    })
    expect(plan).toMatchObject({
      action: 'keep',
      note: undefined,
      current: { certificateArn: NEW }
    })
  })

  test.each([
    ['UPDATING', 'keep'],
    ['CREATING', 'keep'],
    ['FAILED', 'refuse'],
    ['DELETING', 'refuse']
  ])('the requested certificate while %s: %s', (status, action) => {
    const plan = planRotation(settings(), {
      ...active,
      Status: status as 'ACTIVE',
      CustomDomainConfig: { CertificateArn: NEW }
    })
    expect(plan.action).toBe(action)
  })

  test.each([
    [{}, 'found no domain auth.example.com in eu-west-1', 'user-pool-id (eu-west-1_AbC123)'],
    [
      { ...active, UserPoolId: 'eu-west-1_Other1' },
      'belongs to user pool eu-west-1_Other1, not to eu-west-1_AbC123',
      'set user-pool-id to it'
    ],
    [
      { ...active, CustomDomainConfig: undefined },
      'not a custom domain',
      'Create the custom domain'
    ],
    [
      { ...active, CustomDomainConfig: { CertificateArn: '' } },
      'not a custom domain',
      'Create the custom domain'
    ],
    [
      { ...active, Status: 'UPDATING' },
      'is UPDATING: another change',
      'Wait until the domain is ACTIVE'
    ],
    [{ ...active, Status: 'CREATING' }, 'is CREATING', 'Wait until the domain is ACTIVE'],
    [{ ...active, Status: 'FAILED' }, 'is FAILED', 'needs a person'],
    [{ ...active, Status: 'DELETING' }, 'is DELETING', 'recreate'],
    [{ ...active, Status: undefined }, 'status "unknown"', 'Cognito console'],
    [{ ...active, Status: 'PAUSED' }, 'status "PAUSED"', 'Cognito console']
  ])('refuses %#: %s', (description, reason, fix) => {
    const plan = planRotation(settings(), description as DomainDescriptionType)
    if (plan.action !== 'refuse') throw new Error(`planned ${plan.action}`)
    expect(plan.reason).toContain(reason)
    expect(plan.fix).toContain(fix)
  })
})

describe('the rollback is made from what the domain carries right before it', () => {
  const certificateOnly = settings()
  const plan = planRotation(certificateOnly, {
    ...active,
    ManagedLoginVersion: 1,
    CustomDomainConfig: { CertificateArn: OLD, SecurityPolicy: 'TLS_V1_2_2021' }
  })
  if (plan.action !== 'update') throw new Error(`planned ${plan.action}`)

  test('it puts back what the change set, and keeps what another change set since', () => {
    // Since the change, someone else set TLS 1.3 and managed login: the rollback keeps both.
    const now = {
      ...active,
      ManagedLoginVersion: 2,
      CustomDomainConfig: { CertificateArn: NEW, SecurityPolicy: 'TLS_V1_3_2025' as const }
    }
    expect(undoRequest(certificateOnly, plan.changes, now)).toEqual({
      Domain: 'auth.example.com',
      UserPoolId: POOL,
      CustomDomainConfig: { CertificateArn: OLD, SecurityPolicy: 'TLS_V1_3_2025' },
      ManagedLoginVersion: 2
    })
  })

  test('its target: the values the domain reported before, for what the change set', () => {
    expect(rollbackTarget(plan.target)).toEqual({
      to: { certificateArn: OLD },
      from: { certificateArn: NEW }
    })
  })

  test('a value the domain did not report before is not waited for', () => {
    const withPolicy = settingsFor({ 'security-policy': 'TLS_V1_2_2021' })
    const unreported = planRotation(withPolicy, active)
    if (unreported.action !== 'update') throw new Error(`planned ${unreported.action}`)
    expect(unreported.target.to).toEqual({ certificateArn: NEW, securityPolicy: 'TLS_V1_2_2021' })
    expect(rollbackTarget(unreported.target)).toEqual({
      to: { certificateArn: OLD },
      from: { certificateArn: NEW }
    })
  })
})
