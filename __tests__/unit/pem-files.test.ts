import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { maskKey, maskKeyBlocks, maskLines, redactCredentials } from '../../src/aws/secrets.js'
import { classifyPemValue, readPemFiles } from '../../src/inputs/pem-files.js'

const BODY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7'
const KEY = `-----BEGIN PRIVATE KEY-----\n${BODY}\nZm9vYmFyYmF6cXV4\n-----END PRIVATE KEY-----\n`

const EC_BODY = [
  'MHcCAQEEIBkVt5ZkX8XyO2P7cVv3b3CkJz1tq0m1rQm7x0Xv2n6CoAoGCCqGSM49',
  'AwEHoUQDQgAE3h2u0vF8X0wq9cO2w8m4mB0zN7l6Y0G2qk1m5E4d3X2c1Zy8kq9R',
  'f1l3p0b7Y2c0QJc0t6Q2yqT0bS1z3Yw3Xg=='
]

describe('a PEM input is text, a path or a body that is never shown', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'pem-kind-'))
  // A file whose name is one long run of base64 characters, as a runner's temporary file can be.
  const longName = 'auth-example-com-privkey/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd'
  mkdirSync(join(workspace, 'auth-example-com-privkey'))
  writeFileSync(join(workspace, longName), KEY)

  test.each([
    ['a key in PEM', KEY, 'text'],
    [
      'openssl pkcs12 output, Bag Attributes first',
      `Bag Attributes\n    localKeyID: 01\n${KEY}`,
      'text'
    ],
    ['a key pasted on one line', KEY.replace(/\n/g, ' '), 'text'],
    ['a key with its line breaks written as \\n', KEY.replace(/\n/g, '\\n'), 'text'],
    ['a key body without its markers', BODY, 'body'],
    ['an EC key body, its lines joined by spaces', EC_BODY.join(' '), 'body'],
    ['an EC key body, its lines joined by \\n', EC_BODY.join('\\n'), 'body'],
    ['a relative path', 'certs/auth.example.com/privkey.pem', 'path'],
    ['an absolute path', '/etc/letsencrypt/live/auth.example.com/privkey.pem', 'path'],
    ['a file whose path is a long run of base64 characters', longName, 'path'],
    ['the same path, absolute', join(workspace, longName), 'path'],
    [
      'a missing file of a long lowercase path',
      '/home/runner/work/certs/auth/example/com/privkey',
      'path'
    ],
    [
      'an EC key as xxd -p writes its DER',
      `30770201010420${'ffb8481c'.repeat(8)}a00a06082a8648ce3d`,
      'body'
    ],
    ['the same in capitals', `30770201010420${'FFB8481C'.repeat(8)}A00A06082A8648CE3D`, 'body'],
    [
      'a private scalar as openssl ec -text writes it',
      'ff:b8:48:1c:'.repeat(8).slice(0, -1),
      'body'
    ],
    ['a missing file named by a short hash', 'certs/0a1b2c3d4e5f.pem', 'path']
  ])('%s', (_, value, kind) => {
    expect(classifyPemValue(value, workspace)).toBe(kind)
  })

  test('a body is masked, never shown, and not read as a path', () => {
    const seen: string[] = []
    const files = readPemFiles(
      {
        'certificate-pem': 'cert.pem',
        'private-key-pem': EC_BODY.join(' '),
        'certificate-chain-pem': ''
      },
      workspace,
      (input) => seen.push(input)
    )
    expect(seen).toEqual(['private-key-pem'])
    const said = JSON.stringify(files.problems)
    for (const line of EC_BODY) expect(said).not.toContain(line.slice(0, 20))
    expect(said).toContain('(not shown)')
    expect(said).toContain('looks like the body of a key')
    // The missing certificate file is named by its path.
    expect(said).toContain('cert.pem')
  })

  test('a private-key-pem file far larger than a key is refused before it is read', () => {
    writeFileSync(join(workspace, 'huge.pem'), 'x\n'.repeat(60_000))
    const seen: string[] = []
    const files = readPemFiles(
      { 'certificate-pem': '', 'private-key-pem': 'huge.pem', 'certificate-chain-pem': '' },
      workspace,
      (input) => seen.push(input)
    )
    expect(seen).toEqual([])
    expect(JSON.stringify(files.problems)).toContain('far more than a private key')
  })

  test('a file whose path looks like base64 is read', () => {
    const files = readPemFiles(
      { 'certificate-pem': '', 'private-key-pem': longName, 'certificate-chain-pem': '' },
      workspace,
      () => undefined
    )
    expect(files.problems).toEqual([])
    expect(files.texts['private-key-pem']).toBe(KEY)
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

  test('a key file that holds its certificate too masks the key, not the subject or certificate', () => {
    const cert = 'Q0VSVElGSUNBVEVJTlRIRUtFWUZJTEVCT0RZTElORTAxMjM0NTY3ODk='
    const keyLine = 'S2V5SW5BUGtjczEyRmlsZVdpdGhJdHNDZXJ0aWZpY2F0ZTAxMjM0NTY3'
    maskKey(
      [
        'Bag Attributes',
        '    localKeyID: 01 00 00 00',
        'subject=CN = auth.example.com',
        'issuer=CN = Example CA',
        '-----BEGIN CERTIFICATE-----',
        cert,
        '-----END CERTIFICATE-----',
        'Bag Attributes',
        '    localKeyID: 01 00 00 00',
        '-----BEGIN PRIVATE KEY-----',
        keyLine,
        '-----END PRIVATE KEY-----'
      ].join('\n')
    )
    expect(redactCredentials(keyLine)).toBe('***')
    const kept = 'subject=CN = auth.example.com issuer=CN = Example CA localKeyID: 01 00 00 00'
    expect(redactCredentials(kept)).toBe(kept)
    expect(redactCredentials(cert)).toBe(cert)
  })

  test('a key block cut before its END line is masked, and so is a base64 run outside any block', () => {
    const cut = 'Q3V0S2V5Qm9keUxpbmVXaXRob3V0SXRzRW5kTGluZTAxMjM0NTY3'
    const loose = 'TG9vc2VCYXNlNjRSdW5PdXRzaWRlQW55QmxvY2tUaGF0SXNMb25n'
    maskKey(`${loose}\n-----BEGIN EC PRIVATE KEY-----\n${cut}\n`)
    expect(redactCredentials(`${cut} ${loose}`)).toBe('*** ***')
  })

  test('a line of a few characters is not masked: it would garble every later line', () => {
    maskLines('-----BEGIN PRIVATE KEY-----\nx\nyz\nabcd\n-----END PRIVATE KEY-----')
    // What the runner is told to mask: the line of four, not the shorter ones.
    const registered = write.mock.calls.map(([chunk]) => String(chunk).trim())
    expect(registered).toContain('::add-mask::abcd')
    expect(registered).not.toContain('::add-mask::x')
    expect(registered).not.toContain('::add-mask::yz')
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
