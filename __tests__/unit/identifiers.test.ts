import { describe, expect, test } from '@jest/globals'
import {
  checkCertificateArn,
  checkRegionGuard,
  checkUserPoolId,
  type UserPool
} from '../../src/inputs/identifiers.js'
import { knownRegion } from '../../src/inputs/regions.js'

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d'
const pool = (id: string): UserPool => {
  const checked = checkUserPoolId(id)
  if (!checked.ok) throw new Error(checked.problem.rule)
  return checked.value
}

describe('regions come from the SDK partition metadata', () => {
  test.each([
    ['us-east-1', 'aws'],
    ['eu-west-1', 'aws'],
    ['ap-southeast-2', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov']
  ])('%s is in %s', (name, partition) => {
    expect(knownRegion(name)).toEqual({ name, partition })
  })
  test.each(['us-foo-1', 'aws-global', 'eu-west', 'EU-WEST-1', '', 'eu-west-1 '])(
    '%j is not a region',
    (name) => {
      expect(knownRegion(name)).toBeUndefined()
    }
  )
})

describe('user-pool-id', () => {
  test.each([
    ['eu-west-1_AbC123', 'eu-west-1'],
    ['us-east-1_0388ba7cde314013a078a70382d77c3c', 'us-east-1'],
    [`us-east-1_${'a'.repeat(45)}`, 'us-east-1']
  ])('%s is a pool in %s', (id, region) => {
    expect(pool(id).region.name).toBe(region)
  })

  test.each([
    ['', 'is required', 'Cognito console'],
    ['eu-west-1_AbC\n123', 'control character', 'one line'],
    [
      'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC123',
      'ARN',
      '"eu-west-1_AbC123"'
    ],
    [`us-east-1_${'a'.repeat(46)}`, '56 characters', 'Cognito console'],
    ['eu-west-1-AbC123', '<region>_<letters and digits>', 'eu-west-1_AbC123'],
    ['eu-west-1_AbC-123', '<region>_<letters and digits>', 'eu-west-1_AbC123'],
    ['EU-WEST-1_AbC123', 'region codes are lowercase', '"eu-west-1_AbC123"'],
    ['Eu-West-1_abc', 'region codes are lowercase', '"eu-west-1_abc"'],
    ['EU-NOWHERE-1_abc', '<region>_<letters and digits>', 'Cognito console'],
    ['eu-west-9_AbC123', 'not an AWS region', 'newer release'],
    ['my-pool', '<region>_<letters and digits>', 'Cognito console']
  ])('%j is refused', (value, rule, fix) => {
    const checked = checkUserPoolId(value)
    if (checked.ok) throw new Error(`accepted ${value}`)
    expect(checked.problem).toMatchObject({ input: 'user-pool-id', value })
    expect(checked.problem.rule).toContain(rule)
    expect(checked.problem.fix).toContain(fix)
  })
})

describe('aws-region guard', () => {
  test('absent, or equal to the pool region', () => {
    expect(checkRegionGuard('', pool('eu-west-1_A')).ok).toBe(true)
    expect(checkRegionGuard('eu-west-1', pool('eu-west-1_A')).ok).toBe(true)
  })
  test.each([
    ['us-east-1', 'differs from the region of user-pool-id', 'Set aws-region to eu-west-1'],
    ['eu-west-1x', 'not an AWS region', 'leave aws-region out'],
    ['Europe (Ireland)', 'not an AWS region', 'eu-west-1'],
    ['eu-west-1\n', 'control character', 'one line'],
    ['EU-WEST-1', 'region codes are lowercase', '"eu-west-1"']
  ])('%j is refused', (value, rule, fix) => {
    const checked = checkRegionGuard(value, pool('eu-west-1_A'))
    if (checked.ok) throw new Error(`accepted ${value}`)
    expect(checked.problem.rule).toContain(rule)
    expect(checked.problem.fix).toContain(fix)
  })
})

describe('certificate-arn', () => {
  test.each([
    [CERT, 'eu-west-1_A'],
    [CERT, 'us-east-1_A'],
    ['arn:aws:acm:us-east-1:123456789012:certificate/abc', undefined],
    ['arn:aws-cn:acm:cn-north-1:123456789012:certificate/abc', 'cn-northwest-1_A'],
    ['arn:aws-us-gov:acm:us-gov-west-1:123456789012:certificate/abc', 'us-gov-west-1_A']
  ])('%s for pool %s', (arn, poolId) => {
    expect(checkCertificateArn(arn, poolId === undefined ? undefined : pool(poolId))).toEqual({
      ok: true,
      value: arn
    })
  })

  test.each([
    ['', 'is required', 'us-east-1'],
    [`${CERT}\n`, 'control character', 'one line'],
    [` ${CERT}x y`, 'white space', 'no spaces'],
    ['1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', 'certificate ID, not its ARN', 'full ARN'],
    ['certificate/abc', 'not an ARN', 'us-east-1'],
    [
      CERT.replace('us-east-1', 'eu-west-1'),
      'only uses ACM certificates from us-east-1',
      'N. Virginia'
    ],
    ['arn:aws:iam::123456789012:server-certificate/x', 'IAM server certificate', 'ACM'],
    [CERT.replace(':acm:', ':acm-pca:'), 'not of ACM', 'ACM'],
    [CERT.replace('us-east-1', 'us-east-9'), 'not an AWS region', 'us-east-1'],
    [
      CERT.replace('arn:aws:', 'arn:aws-cn:'),
      'in the aws partition, not in "aws-cn"',
      'ACM console'
    ],
    [
      'arn:aws-cn:acm:cn-north-1:123456789012:certificate/abc',
      'user pool eu-west-1_A is in aws',
      'same partition'
    ],
    [CERT.replace('123456789012', '1234'), 'account "1234"', 'ACM console'],
    [CERT.replace('certificate/', 'cert/'), 'certificate/<id>', 'ACM console']
  ])('%j is refused', (value, rule, fix) => {
    const checked = checkCertificateArn(value, pool('eu-west-1_A'))
    if (checked.ok) throw new Error(`accepted ${value}`)
    expect(checked.problem).toMatchObject({ input: 'certificate-arn', value })
    expect(checked.problem.rule).toContain(rule)
    expect(checked.problem.fix).toContain(fix)
  })
})
