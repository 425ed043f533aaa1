import { describe, expect, test } from '@jest/globals'
import { proxyIsSet, proxyPasswords } from '../../src/aws/proxy.js'

describe('proxy variables', () => {
  test.each([
    [{}, false],
    [{ HTTPS_PROXY: '' }, false],
    [{ NO_PROXY: '*' }, false],
    [{ HTTPS_PROXY: 'http://proxy:3128' }, true],
    [{ https_proxy: 'http://proxy:3128' }, true],
    [{ HTTP_PROXY: 'http://proxy:3128' }, true],
    [{ http_proxy: 'http://proxy:3128' }, true]
  ])('%j: a proxy is set: %s', (env, expected) => {
    expect(proxyIsSet(env)).toBe(expected)
  })

  test.each([
    [{ HTTPS_PROXY: 'http://proxy:3128' }, []],
    [{ HTTPS_PROXY: 'http://user@proxy:3128' }, []],
    [{ HTTPS_PROXY: 'http://user:s3cret@proxy:3128' }, ['s3cret', 's3cret']],
    [{ http_proxy: 'http://user:p%40ss%3Aword@proxy:3128' }, ['p%40ss%3Aword', 'p@ss:word']],
    [{ HTTPS_PROXY: 'http://u:a@p', HTTP_PROXY: 'http://u:b@p' }, ['a', 'a', 'b', 'b']],
    [{ HTTPS_PROXY: 'proxy:3128' }, []],
    [{ HTTPS_PROXY: 'not a url' }, []],
    [{ HTTPS_PROXY: 'http://user:%E0%A4%A@proxy' }, ['%E0%A4%A']]
  ])('%j: passwords to mask: %j', (env, expected) => {
    expect(proxyPasswords(env)).toEqual(expected)
  })
})
