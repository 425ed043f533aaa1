import { describe, expect, test } from '@jest/globals'
import { checkDomain } from '../../src/inputs/domain-name.js'

describe('domain: accepted', () => {
  test.each([
    'auth.example.com',
    'a.io',
    'login-1.eu.example.co.uk',
    'xn--bcher-kva.example',
    `${'a'.repeat(63)}.example.com`,
    ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(61)].join('.')
  ])('%s', (value) => {
    expect(checkDomain(value)).toEqual({ ok: true, value })
  })
})

describe('domain: refused, with the rule and the fix', () => {
  test.each([
    ['', 'is required', 'auth.example.com'],
    ['auth.example.com\n::warning::x', 'control character', 'one line'],
    ['auth.exam\tple.com', 'control character', 'one line'],
    ['Auth.Example.COM', 'uppercase', 'Use "auth.example.com".'],
    ['https://auth.example.com', 'URL scheme', 'Use "auth.example.com".'],
    ['HTTPS://Auth.Example.com/login?x=1', 'URL scheme', 'Use "auth.example.com".'],
    ['auth.example.com/login', 'path', 'Use "auth.example.com".'],
    ['user@auth.example.com', 'user part', 'Use "auth.example.com".'],
    ['auth.example.com:443', 'port', 'Use "auth.example.com".'],
    ['auth.example.com%0A::warning::x', 'percent-encoded', 'nothing encoded'],
    ['auth.example.com%0A', 'percent-encoded', 'nothing encoded'],
    ['auth example.com', 'white space', 'host name alone'],
    ['*.example.com', 'wildcard', 'A wildcard certificate'],
    ['auth.example.com.', 'ends with a dot', 'Use "auth.example.com".'],
    ['.auth.example.com', 'empty label', 'host name alone'],
    ['auth..example.com', 'empty label', 'host name alone'],
    ['myprefix', 'apply to custom domains only', 'give managed-login-version alone'],
    ['myprefix.auth.eu-west-1.amazoncognito.com', 'amazoncognito.com', 'your own custom domain'],
    ['auth_1.example.com', 'contains "_"', 'Remove it'],
    ['bücher.example.com', 'contains "\\u{FC}"', 'punycode'],
    ['аuth.example.com', 'contains "\\u{430}"', 'punycode'],
    [
      `${'a'.repeat(64)}.example.com`,
      'label of 64 characters ("aaaa',
      'a real host name has no label that long'
    ],
    ['-auth.example.com', 'starts or ends with a hyphen', 'spelling'],
    ['auth-.example.com', 'starts or ends with a hyphen', 'spelling'],
    [
      ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(62)].join('.'),
      'is 254 characters long; a domain name has at most 253',
      'Check the value'
    ],
    ['10.0.0.1', 'IP address', 'host name']
  ])('%j', (value, rule, fix) => {
    const checked = checkDomain(value)
    if (checked.ok) throw new Error(`accepted ${value}`)
    expect(checked.problem.input).toBe('domain')
    expect(checked.problem.value).toBe(value)
    expect(checked.problem.rule).toContain(rule)
    expect(checked.problem.fix).toContain(fix)
  })
})
