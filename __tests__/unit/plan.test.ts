import { describe, expect, test } from '@jest/globals'
import type { DomainDescriptionType } from '@aws-sdk/client-cognito-identity-provider'
import { planRotation } from '../../src/plan.js'
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
        securityPolicy: undefined
      },
      request: {
        Domain: 'auth.example.com',
        UserPoolId: POOL,
        CustomDomainConfig: { CertificateArn: NEW }
      }
    })
  })

  test('the current security policy is carried over; managed login and routing never are', () => {
    const plan = planRotation(settings(), {
      ...active,
      ManagedLoginVersion: 2,
      Routing: { Failover: { SecondaryRegion: 'eu-central-1', PrimaryRoute53HealthCheckId: 'x' } },
      CustomDomainConfig: { CertificateArn: OLD, SecurityPolicy: 'TLS_V1_3_2025' }
    })
    expect(plan.action === 'update' && plan.request).toEqual({
      Domain: 'auth.example.com',
      UserPoolId: POOL,
      CustomDomainConfig: { CertificateArn: NEW, SecurityPolicy: 'TLS_V1_3_2025' }
    })
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
