import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { escapeHtml, hasControlCharacter, oneLine, shown } from '../../src/common/display.js'
import { checkInputs } from '../../src/inputs/settings.js'
import { problemMessage } from '../../src/report/report.js'
import { CallFailed, type AwsCall } from '../../src/aws/errors.js'
import { AttemptTimedOut, NotAnAwsAnswer } from '../../src/aws/attempts.js'
import { explainFailure } from '../../src/aws/explain.js'
import { TimeUp } from '../../src/common/time.js'
import { rawInputs, settingsFor } from '../support/settings.ts'

describe('shown', () => {
  test.each([
    ['auth.example.com', '"auth.example.com"'],
    ['a\nb\r\tc', '"a\\nb\\r\\tc"'],
    ['say "hi" \\o/', '"say \\"hi\\" \\\\o/"'],
    ['\u0000\u001b[31m', '"\\u{0}\\u{1B}[31m"'],
    ['аuth', '"\\u{430}uth"'],
    ['😀', '"\\u{1F600}"'],
    ['x'.repeat(130), `"${'x'.repeat(120)}"… (130 characters)`]
  ])('%j', (value, expected) => {
    expect(shown(value)).toBe(expected)
  })

  test('never yields a line break, whatever it is given', () => {
    const everything = Array.from({ length: 0x3000 }, (_, code) => String.fromCodePoint(code)).join(
      ''
    )
    expect(shown(everything)).not.toMatch(/[\n\r\u2028\u2029]/)
  })
})

test('control characters', () => {
  expect(['a\nb', 'a\u0085b', 'a\u2028b', 'a\u007fb', 'a\u0000b'].map(hasControlCharacter)).toEqual(
    [true, true, true, true, true]
  )
  expect(hasControlCharacter('auth.example.com ü')).toBe(false)
})

test('oneLine escapes only what could break a log line', () => {
  expect(oneLine('arn:aws:acm:us-east-1:1:certificate/x → ü\n::warning::x\r')).toBe(
    'arn:aws:acm:us-east-1:1:certificate/x → ü\\n::warning::x\\r'
  )
})

test('escapeHtml keeps the summary table intact', () => {
  expect(escapeHtml('<b>"a" & b | c</b>')).toBe('&lt;b&gt;&quot;a&quot; &amp; b &#124; c&lt;/b&gt;')
})

test('an input problem names the input, shows the value safely, and gives rule and fix', () => {
  const checked = checkInputs(rawInputs({ domain: 'Auth.example.com\n' }))
  if (!('problems' in checked)) throw new Error('accepted')
  expect(checked.problems.map(problemMessage)).toEqual([
    'Input domain ("Auth.example.com\\n") contains a control character (a line break, tab or similar). Give the domain on one line, with nothing else in the value.'
  ])
})

describe('explainFailure', () => {
  const settings = settingsFor()
  const error = (name: string, extra: object = {}) =>
    Object.assign(new Error('service says no'), { name }, extra)
  // As a step of a job: the runner sets GITHUB_ACTIONS.
  const onRunner = process.env.GITHUB_ACTIONS
  beforeEach(() => {
    process.env.GITHUB_ACTIONS = 'true'
  })
  afterEach(() => {
    if (onRunner === undefined) delete process.env.GITHUB_ACTIONS
    else process.env.GITHUB_ACTIONS = onRunner
  })
  const ABOUT = 'domain auth.example.com (user pool eu-west-1_AbC123, eu-west-1)'
  const failed = (call: AwsCall, cause: unknown, about = ABOUT) =>
    new CallFailed(call, about, cause)

  test.each([
    ['NotAuthorizedException', 'cloudfront:UpdateDistribution'],
    [
      'AccessDeniedException',
      'cognito-idp:UpdateUserPoolDomain on arn:aws:cognito-idp:eu-west-1:<account>:userpool/eu-west-1_AbC123'
    ],
    ['ResourceNotFoundException', 'exists in eu-west-1'],
    ['InvalidParameterException', 'is ISSUED in ACM in us-east-1'],
    ['ConcurrentModificationException', 'in progress'],
    ['TooManyRequestsException', 'raise max-attempts'],
    ['InternalErrorException', 'AWS Health Dashboard'],
    ['FeatureUnavailableInTierException', 'feature plan'],
    ['OperationNotEnabledException', 'primary region'],
    ['CredentialsProviderError', 'configure-aws-credentials'],
    ['ExpiredTokenException', 'session may have expired'],
    ['ExpiredToken', 'session may have expired'],
    ['RequestExpired', 'session may have expired']
  ])('%s', (name, advice) => {
    const message = explainFailure(failed('UpdateUserPoolDomain', error(name)), settings)
    expect(message).toContain(
      'UpdateUserPoolDomain for domain auth.example.com (user pool eu-west-1_AbC123, eu-west-1)'
    )
    expect(message).toContain(`${name}: service says no`)
    expect(message).toContain(advice)
  })

  test('attempts and back-off are counted when the SDK retried', () => {
    const message = explainFailure(
      failed(
        'DescribeUserPoolDomain',
        error('TooManyRequestsException', { $metadata: { attempts: 5, totalRetryDelay: 7345 } })
      ),
      settings
    )
    expect(message).toContain('gave up after 5 attempts (7.3 s of back-off)')
  })

  test('a describe that failed says nothing of an unknown outcome', () => {
    expect(
      explainFailure(failed('DescribeUserPoolDomain', error('InternalErrorException')), settings)
    ).not.toContain('may or may not')
  })

  test('network failures name what could not be reached', () => {
    const message = explainFailure(
      failed('DescribeUserPoolDomain', error('Error', { code: 'ENOTFOUND' })),
      settings
    )
    expect(message).toContain('could not reach')
    expect(message).toContain('ENOTFOUND')
  })

  test('an unknown 5xx and an unknown error', () => {
    expect(
      explainFailure(
        failed('UpdateUserPoolDomain', error('Weird', { $metadata: { httpStatusCode: 502 } })),
        settings
      )
    ).toContain('answered HTTP 502')
    expect(explainFailure(failed('UpdateUserPoolDomain', 'plain string'), settings)).toContain(
      'failed (Error: plain string)'
    )
  })
})

describe('explainFailure for what went wrong on the way', () => {
  const settings = settingsFor({ 'attempt-timeout-seconds': '7' })
  const describeFailed = (cause: unknown) =>
    explainFailure(
      new CallFailed(
        'DescribeUserPoolDomain',
        'domain auth.example.com (user pool eu-west-1_AbC123, eu-west-1)',
        cause
      ),
      settings
    )

  test('a page from a proxy or firewall: its status and content type, not a JSON error', () => {
    const message = describeFailed(
      new NotAnAwsAnswer(403, 'text/html', '<html><title>Access denied</title></html>')
    )
    expect(message).toContain('the answer did not come from AWS')
    expect(message).toContain(
      'HTTP 403 with text/html: "<html><title>Access denied</title></html>"'
    )
    expect(message).toContain('A proxy, firewall or gateway')
    expect(message).toContain('HTTPS_PROXY')
  })

  test('a page that echoes a credential is redacted before it is cut: no part of it shows', () => {
    const saved = process.env.AWS_SECRET_ACCESS_KEY
    const secret = 'abcdefghijklmnopqrstuvwxyz0123456789SECRET'
    process.env.AWS_SECRET_ACCESS_KEY = secret
    try {
      // The secret starts 100 characters in and runs past the 120 the excerpt keeps.
      const page = new NotAnAwsAnswer(
        403,
        'text/html',
        `${'x'.repeat(100)}${secret}${'y'.repeat(50)}`
      )
      expect(page.message).toContain('***')
      for (let length = 6; length <= secret.length; length++)
        expect(page.message).not.toContain(secret.slice(0, length))
    } finally {
      if (saved === undefined) delete process.env.AWS_SECRET_ACCESS_KEY
      else process.env.AWS_SECRET_ACCESS_KEY = saved
    }
  })

  test('an attempt that stalled names attempt-timeout-seconds and its value', () => {
    const message = describeFailed(new AttemptTimedOut(7000, 'DescribeUserPoolDomain'))
    expect(message).toContain('no complete answer from Cognito in eu-west-1')
    expect(message).toContain('within attempt-timeout-seconds (7 s)')
    expect(message).toContain('raise attempt-timeout-seconds')
  })

  test('a call that ran out of its whole time says what bounds it', () => {
    const message = describeFailed(new TimeUp('the time for DescribeUserPoolDomain', 60_000))
    expect(message).toContain('no answer within 60 s')
    expect(message).toContain('max-attempts × attempt-timeout-seconds')
  })

  test('no credentials with AWS_PROFILE set: names the variable and its value', () => {
    const saved = { ...process.env }
    process.env.AWS_PROFILE = 'nope'
    process.env.AWS_ACCESS_KEY_ID = 'AKIA...'
    process.env.GITHUB_ACTIONS = 'true'
    try {
      const message = describeFailed(
        Object.assign(new Error('Could not resolve credentials using profile: [nope]'), {
          name: 'CredentialsProviderError'
        })
      )
      expect(message).toContain('AWS_PROFILE=nope')
      expect(message).toContain('ignores them while AWS_PROFILE is set')
      expect(message).toContain('Unset AWS_PROFILE')
    } finally {
      process.env = saved
    }
  })
})

describe('explainFailure from your own machine (npm run action), where no runner sets GITHUB_ACTIONS', () => {
  const settings = settingsFor()
  const saved = { ...process.env }
  beforeEach(() => {
    delete process.env.GITHUB_ACTIONS
    delete process.env.AWS_PROFILE
  })
  afterEach(() => {
    process.env = { ...saved }
  })
  const explain = (name: string) =>
    explainFailure(
      new CallFailed(
        'DescribeUserPoolDomain',
        'domain auth.example.com',
        Object.assign(new Error('no'), { name })
      ),
      settings
    )

  test('no credentials: sign in as for the AWS CLI, not configure-aws-credentials', () => {
    const message = explain('CredentialsProviderError')
    expect(message).toContain('set AWS_PROFILE to one of your profiles')
    expect(message).toContain('aws sso login')
    expect(message).not.toContain('configure-aws-credentials')
  })

  test('no credentials for AWS_PROFILE: how to list and sign in to profiles', () => {
    process.env.AWS_PROFILE = 'nope'
    const message = explain('CredentialsProviderError')
    expect(message).toContain('AWS_PROFILE=nope')
    expect(message).toContain('aws configure list-profiles')
    expect(message).not.toContain('configure-aws-credentials')
  })

  test('refused credentials: an expired session, renewed with aws sso login', () => {
    const message = explain('ExpiredTokenException')
    expect(message).toContain('aws sso login')
    expect(message).not.toContain('configure-aws-credentials')
  })
})

describe('explainFailure for ACM, which is only read', () => {
  const settings = settingsFor()
  const CERT_ABOUT =
    'certificate arn:aws:acm:us-east-1:123456789012:certificate/new (ACM, us-east-1)'
  const acmFailure = (name: string, extra: object = {}) =>
    explainFailure(
      new CallFailed(
        'DescribeCertificate',
        CERT_ABOUT,
        Object.assign(new Error('acm says no'), { name }, extra)
      ),
      settings
    )

  test.each([
    ['AccessDeniedException', 'needs acm:DescribeCertificate on the certificate'],
    ['ResourceNotFoundException', 'ACM has no such certificate in this account'],
    ['InvalidArnException', 'Copy the ARN from the ACM console in us-east-1'],
    ['ThrottlingException', 'run again later']
  ])('%s', (name, advice) => {
    const message = acmFailure(name)
    expect(message).toContain(`DescribeCertificate for ${CERT_ABOUT}`)
    expect(message).toContain(`${name}: acm says no`)
    expect(message).toContain(advice)
    expect(message).not.toContain('may or may not')
  })

  test('throttling, which ACM answers with HTTP 400, is said as throttling, not as a refusal', () => {
    const message = acmFailure('ThrottlingException', { $metadata: { httpStatusCode: 400 } })
    expect(message).toContain('ACM kept throttling the call and the action gave up')
    expect(message).toContain('raise max-attempts')
    expect(message).not.toContain('was refused')
    expect(message).not.toContain('Check the certificate')
  })

  test("outside the aws partition, the pool's own region is named", () => {
    const message = explainFailure(
      new CallFailed(
        'DescribeCertificate',
        'certificate x',
        Object.assign(new Error('no'), { name: 'InvalidArnException' })
      ),
      settingsFor({
        'user-pool-id': 'cn-north-1_AbC123',
        'certificate-arn': 'arn:aws-cn:acm:cn-north-1:123456789012:certificate/new'
      })
    )
    expect(message).toContain('ACM console in cn-north-1')
  })

  test('a refusal ACM gives no name for is not called passing', () => {
    const message = acmFailure('ValidationException', { $metadata: { httpStatusCode: 400 } })
    expect(message).toContain('was refused (ValidationException: acm says no)')
    expect(message).not.toContain('Run again in a few minutes')
  })

  test('network failures name ACM', () => {
    expect(acmFailure('Error', { code: 'ECONNREFUSED' })).toContain('could not reach ACM')
  })
})
