import { describe, expect, test } from '@jest/globals'
import { checkInputs } from '../../src/inputs/settings.js'
import { rollbackHint } from '../../src/flow/messages.js'
import { rawInputs, settingsFor } from '../support/settings.ts'

/** The problems of a run with these inputs, as "input: rule" lines. */
function problems(overrides: Parameters<typeof rawInputs>[0]): string[] {
  const checked = checkInputs(rawInputs(overrides))
  return 'problems' in checked
    ? checked.problems.map((problem) => `${problem.input}: ${problem.rule} | ${problem.fix}`)
    : []
}

describe('what a run changes: certificate-arn, managed-login-version, security-policy', () => {
  test('certificate-arn: newest asks the run to choose; the ARN comes later', () => {
    const settings = settingsFor({ 'certificate-arn': 'newest' })
    expect(settings.newest).toBe(true)
    expect(settings.certificateArn).toBeUndefined()
    expect(settingsFor().newest).toBe(false)
  })

  test.each(['Newest', 'NEWEST', ' newest', 'newest '])(
    'certificate-arn: %j is refused, with the one spelling',
    (value) => {
      expect(problems({ 'certificate-arn': value })).toEqual([
        expect.stringContaining(
          'certificate-arn: is not an ARN, nor the word newest as written | Write certificate-arn: newest'
        )
      ])
    }
  )

  test('anything else that is not an ARN names both forms', () => {
    expect(problems({ 'certificate-arn': 'latest' })).toEqual([
      expect.stringContaining('nor the word newest')
    ])
  })

  test('a run has to change something', () => {
    expect(problems({ 'certificate-arn': '' })).toEqual([
      expect.stringContaining(
        'certificate-arn: is required when neither managed-login-version nor security-policy is given'
      )
    ])
  })

  test.each([
    [{ 'managed-login-version': '2' }, 2, undefined],
    [{ 'managed-login-version': '1' }, 1, undefined],
    [{ 'security-policy': 'TLS_V1_3_2025' }, undefined, 'TLS_V1_3_2025'],
    [{ 'security-policy': 'TLS_V1' }, undefined, 'TLS_V1']
  ])('without certificate-arn: %j', (inputs, version, policy) => {
    const settings = settingsFor({ 'certificate-arn': '', ...inputs })
    expect(settings.certificateArn).toBeUndefined()
    expect(settings.managedLoginVersion).toBe(version)
    expect(settings.securityPolicy).toBe(policy)
  })

  test.each([
    ['managed-login-version', '3', 'is not one of 1, 2', 'Give 1 (classic hosted UI) or 2'],
    ['managed-login-version', 'v2', 'is not one of 1, 2', 'Give 1'],
    ['security-policy', 'tls_v1_3_2025', 'is not one of TLS_V1, ', 'Use "TLS_V1_3_2025"'],
    ['security-policy', 'TLSv1.2_2021', 'is not one of', 'TLS_V1_2_2021 (recommended)']
  ])('%s: %j is refused', (input, value, rule, fix) => {
    expect(problems({ [input]: value })).toEqual([
      expect.stringMatching(new RegExp(`^${input}: ${escape(rule)}.*\\| .*${escape(fix)}`))
    ])
  })

  test('a prefix domain is accepted for a managed login version change alone', () => {
    const settings = settingsFor({
      domain: 'my-prefix1',
      'certificate-arn': '',
      'managed-login-version': '2'
    })
    expect(settings.domainKind).toBe('prefix')
    expect(settingsFor().domainKind).toBe('custom')
  })

  test.each([
    [{ 'managed-login-version': '2' }],
    [{ 'certificate-arn': '', 'security-policy': 'TLS_V1_3_2025' }]
  ])('a prefix domain with a certificate or a security policy is refused: %j', (inputs) => {
    expect(problems({ domain: 'myprefix', ...inputs })).toEqual([
      expect.stringContaining('domain: is a single label, like a Cognito prefix domain')
    ])
  })

  test.each([
    ['-myprefix', 'is not a valid prefix domain'],
    ['my_prefix', 'is not a valid prefix domain'],
    ['myawsprefix', 'contains "aws"'],
    ['cognitologin', 'contains "cognito"']
  ])('prefix %j is refused', (domain, rule) => {
    expect(problems({ domain, 'certificate-arn': '', 'managed-login-version': '2' })).toEqual([
      expect.stringContaining(`domain: ${rule}`)
    ])
  })
})

describe('rollbackHint', () => {
  test('every changed input with its previous value', () => {
    expect(
      rollbackHint([
        { input: 'certificate-arn', what: 'certificate', from: 'arn:old', to: 'arn:new' },
        { input: 'security-policy', what: 'security policy', from: 'TLS_V1', to: 'TLS_V1_3_2025' }
      ])
    ).toBe(
      'To roll back, run this action again with certificate-arn: arn:old and security-policy: TLS_V1'
    )
  })

  test('a value the domain never reported cannot be put back, and the hint says so', () => {
    expect(
      rollbackHint([
        { input: 'managed-login-version', what: 'managed login version', from: undefined, to: '2' }
      ])
    ).toBe(
      "The domain reported no managed login version before this change, so this action can't set it back; look at the domain in the Cognito console"
    )
  })
})

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
