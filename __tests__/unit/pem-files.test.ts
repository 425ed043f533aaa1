import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { maskKeyBlocks, maskLines, redactCredentials } from '../../src/aws/secrets.js'
import { isPemText, pemShown, readPemFiles } from '../../src/inputs/pem-files.js'

const BODY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7'
const KEY = `-----BEGIN PRIVATE KEY-----\n${BODY}\nZm9vYmFyYmF6cXV4\n-----END PRIVATE KEY-----\n`

describe('a PEM input is text or a path', () => {
  test.each([
    ['a key in PEM', KEY, true],
    [
      'openssl pkcs12 output, Bag Attributes first',
      `Bag Attributes\n    localKeyID: 01\n${KEY}`,
      true
    ],
    ['a key pasted on one line', KEY.replace(/\n/g, ' '), true],
    ['a key body without its markers', BODY, true],
    ['a relative path', 'certs/auth.example.com/privkey.pem', false],
    ['an absolute path', '/etc/letsencrypt/live/auth.example.com/privkey.pem', false]
  ])('%s', (_, value, text) => {
    expect(isPemText(value)).toBe(text)
    // Text is never shown; a path is.
    expect(pemShown(value, undefined)).toBe(text ? '(PEM text)' : value)
  })
})

describe('key material is masked before anything reads it', () => {
  let write: jest.SpiedFunction<typeof process.stdout.write>
  beforeEach(() => {
    write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
  })
  afterEach(() => {
    write.mockRestore()
  })

  test('each line of a key, and each base64 run of a key on one line, is redacted', () => {
    maskLines(KEY.replace(/\n/g, ' '))
    const said = redactCredentials(`the key ${BODY} and Zm9vYmFyYmF6cXV4 again`)
    expect(said).not.toContain(BODY)
    expect(said).not.toContain('Zm9vYmFyYmF6cXV4')
    // The markers are no secret: the action names them.
    expect(redactCredentials('-----BEGIN PRIVATE KEY-----')).toBe('-----BEGIN PRIVATE KEY-----')
  })

  test('a key block inside a certificate input is masked, the certificate is not', () => {
    const other = 'T3RoZXJLZXlNYXRlcmlhbFRoYXRJc1NlY3JldDAx'
    maskKeyBlocks(
      `-----BEGIN CERTIFICATE-----\nQ0VSVElGSUNBVEVCT0RZ\n-----END CERTIFICATE-----\n-----BEGIN RSA PRIVATE KEY-----\n${other}\n-----END RSA PRIVATE KEY-----\n`
    )
    expect(redactCredentials(other)).toBe('***')
    expect(redactCredentials('Q0VSVElGSUNBVEVCT0RZ')).toBe('Q0VSVElGSUNBVEVCT0RZ')
  })

  test('a file is handed over as soon as it is read, and a missing one is named by its path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pem-files-'))
    writeFileSync(join(dir, 'key.pem'), KEY)
    const seen: string[] = []
    const files = readPemFiles(
      {
        'certificate-pem': 'missing.pem',
        'private-key-pem': 'key.pem',
        'certificate-chain-pem': ''
      },
      dir,
      (input, text) => seen.push(`${input}:${text.length}`)
    )
    expect(seen).toEqual([`private-key-pem:${KEY.length}`])
    expect(files.texts['private-key-pem']).toBe(KEY)
    expect(files.problems.map((problem) => JSON.stringify(problem))).toEqual([
      expect.stringContaining('missing.pem')
    ])
  })
})
