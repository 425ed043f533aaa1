import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ActionRun } from '../support/action.ts'
import { certificateFor, type TestCertificate } from '../support/certificates.ts'
import { DOMAIN } from '../support/fixtures.ts'
import { makePki, removePki, type Pki } from '../support/pki.ts'
import { editCertificate, useScenario } from '../support/scenario.ts'
import { startTlsServer, type TlsServer } from '../support/tls-server.ts'

// certificate-pem against moto's ACM: the bundled action imports, reuses and retires certificates
// over the wire, and no line of a private key shows anywhere the runner shows.
const scenario = useScenario()
let pool = ''
let workspace = ''
let pki: Pki | undefined
let edge: TlsServer | undefined
let first: TestCertificate
let second: TestCertificate
let elsewhere: TestCertificate
beforeAll(async () => {
  // Real dates: the PKI's leaves are fixed in the past, for its refusals.
  ;[pki, first, second, elsewhere] = await Promise.all([
    makePki(),
    certificateFor({ names: [DOMAIN], days: 120 }),
    certificateFor({ names: [DOMAIN], days: 300 }),
    certificateFor({ names: ['other.example.com'], days: 120 })
  ])
})
afterAll(async () => {
  await removePki(pki)
})
beforeEach(async () => {
  pool = await scenario.poolWithDomain()
  workspace = mkdtempSync(join(tmpdir(), 'workspace-'))
})
afterEach(async () => {
  rmSync(workspace, { recursive: true, force: true })
  await edge?.close()
  edge = undefined
})

/** Every line of a key's body that a log, an output or the summary must never carry. */
function keyLines(key: string): string[] {
  if (!key.startsWith('-----BEGIN')) return []
  // The markers and a legacy key's headers (Proc-Type: 4,ENCRYPTED) are no secret.
  return key
    .split('\n')
    .filter((line) => line.length > 16 && !line.startsWith('-----') && !/^[A-Za-z-]+: /.test(line))
}

/**
 * What the runner shows of a run: the log (the runner consumes its ::add-mask:: commands and shows
 * none of them), the summary and the outputs.
 */
function shownOf(run: ActionRun): string {
  const log = run.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n')
  return [log, run.stderr, run.summary, JSON.stringify(run.outputs)].join('\n')
}

/** The key lines a run let through, wherever the runner shows them. */
function leaks(run: ActionRun, key: string): string[] {
  const shown = shownOf(run)
  return keyLines(key).filter((line) => shown.includes(line))
}

/** Whether every line of the key was registered with the runner as a secret. */
function masked(run: ActionRun, key: string): boolean {
  return keyLines(key).every((line) => run.stdout.includes(`::add-mask::${line}`))
}

const withPem = (pems: TestCertificate) => ({
  'certificate-arn': '',
  'certificate-pem': pems.certificate,
  'private-key-pem': pems.privateKey
})

describe('certificate-pem', () => {
  test('from text: imported once, tagged, and put on the domain; a rerun imports nothing', async () => {
    const run = await scenario.rotate(pool, withPem(first))

    expect(run.exitCode).toBe(0)
    expect(run.outputs.imported).toBe('true')
    const imported = run.outputs['certificate-arn'] ?? ''
    expect(imported).toMatch(/^arn:aws:acm:us-east-1:\d+:certificate\//)
    expect(await scenario.storedCertificate()).toBe(imported)
    expect(scenario.endpoint.requests('ImportCertificate')).toHaveLength(1)
    const tags = scenario.endpoint.requests('ImportCertificate')[0]?.body.Tags as {
      Key: string
      Value: string
    }[]
    expect(tags.map((tag) => tag.Key)).toEqual([
      'cognito-domain-cert:domain',
      'cognito-domain-cert:sha256',
      'cognito-domain-cert:chain-sha256'
    ])
    expect(tags[0]?.Value).toBe(DOMAIN)
    expect(tags[1]?.Value).toMatch(/^[0-9a-f]{64}$/)
    // Self-signed, given alone: no chain.
    expect(tags[2]?.Value).toBe('none')
    // Self-signed: a warning, not a refusal.
    expect(run.warnings.join('\n')).toContain('is self-signed: it leads to none of node')
    expect(leaks(run, first.privateKey)).toEqual([])
    expect(masked(run, first.privateKey)).toBe(true)

    const again = await scenario.rotate(pool, withPem(first))

    expect(again.exitCode).toBe(0)
    expect(again.outputs).toMatchObject({
      imported: 'false',
      changed: 'false',
      'certificate-arn': imported
    })
    expect(scenario.endpoint.requests('ImportCertificate')).toHaveLength(1)
    expect(leaks(again, first.privateKey)).toEqual([])
  })

  test('from files in the workspace: the same, with the paths', async () => {
    writeFileSync(join(workspace, 'fullchain.pem'), first.certificate)
    writeFileSync(join(workspace, 'privkey.pem'), first.privateKey)

    const run = await scenario.rotate(
      pool,
      {
        'certificate-arn': '',
        'certificate-pem': 'fullchain.pem',
        'private-key-pem': 'privkey.pem'
      },
      { GITHUB_WORKSPACE: workspace }
    )

    expect(run.exitCode).toBe(0)
    expect(run.outputs.imported).toBe('true')
    expect(await scenario.storedCertificate()).toBe(run.outputs['certificate-arn'])
    expect(leaks(run, first.privateKey)).toEqual([])
    expect(masked(run, first.privateKey)).toBe(true)
  })
})

describe('refused before any request', () => {
  test.each<[string, () => Record<string, string>, string]>([
    [
      "a key that is not the certificate's",
      () => ({ ...withPem(first), 'private-key-pem': second.privateKey }),
      'Input private-key-pem ("(PEM text'
    ],
    [
      'an expired leaf',
      () => ({
        ...withPem(first),
        'certificate-pem': pki?.leaf.expired ?? '',
        'private-key-pem': pki?.key.rsa ?? ''
      }),
      'Certificate expired'
    ],
    ['a leaf for another name', () => withPem(elsewhere), 'Domain not covered'],
    [
      'a chain that did not issue the leaf',
      () => ({ ...withPem(first), 'certificate-chain-pem': pki?.intermediate ?? '' }),
      'that did not issue the leaf'
    ],
    [
      'an encrypted key',
      () => ({ ...withPem(first), 'private-key-pem': pki?.key.encrypted ?? '' }),
      'holds an encrypted private key'
    ],
    [
      'a path to no file',
      () => ({ ...withPem(first), 'certificate-pem': 'missing/fullchain.pem' }),
      'there is no file'
    ],
    [
      'a key file that does not exist, named as given',
      () => ({ ...withPem(first), 'private-key-pem': 'missing/privkey.pem' }),
      'Input private-key-pem ("missing/privkey.pem") is not PEM text'
    ],
    [
      'a legacy encrypted key, its header shown',
      () => ({ ...withPem(first), 'private-key-pem': pki?.key.legacyEncrypted ?? '' }),
      'with a Proc-Type: 4,ENCRYPTED header'
    ]
  ])('%s', async (_name, inputs, said) => {
    const given = inputs()
    const run = await scenario.rotate(pool, given, { GITHUB_WORKSPACE: workspace })

    expect(run.exitCode).toBe(1)
    expect(run.errors.join('\n')).toContain(said)
    expect(scenario.endpoint.received).toEqual([])
    expect(leaks(run, given['private-key-pem'] ?? '')).toEqual([])
  })
})

describe('a key pasted any way is masked before anything reads it', () => {
  test.each<[string, (key: string) => string]>([
    ['on one line, its line breaks lost', (key) => key.replace(/\n/g, ' ')],
    ['its body alone, without markers or line breaks', (key) => keyLines(key).join('')],
    ['its line breaks written as \\n', (key) => key.replace(/\n/g, '\\n')],
    [
      "after openssl's Bag Attributes",
      (key) => `Bag Attributes\n    localKeyID: 01 00 00 00\n${key}`
    ]
  ])('%s', async (_name, pasted) => {
    const run = await scenario.rotate(pool, {
      ...withPem(first),
      'private-key-pem': pasted(first.privateKey)
    })
    // Whatever the outcome, no line of the key reaches the log, the summary or the outputs.
    expect(leaks(run, first.privateKey)).toEqual([])
    const shown = shownOf(run)
    expect(shown).not.toContain(keyLines(first.privateKey).join(''))
  })
})

describe('a short key body (EC P-256) without its markers is never shown, nor read as a path', () => {
  test.each<[string, (lines: string[]) => string]>([
    ['joined', (lines) => lines.join('')],
    ['joined by spaces', (lines) => lines.join(' ')],
    ['joined by \\n written out', (lines) => lines.join('\\n')],
    [
      'as hex, as xxd -p writes its DER',
      (lines) => Buffer.from(lines.join(''), 'base64').toString('hex')
    ]
  ])('%s', async (_name, written) => {
    const ec = pki?.key.ec256 ?? ''
    const lines = ec
      .slice(ec.indexOf('-----BEGIN EC PRIVATE KEY'))
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('-----'))
    const body = written(lines)
    expect(body.length).toBeLessThan(1024)
    const run = await scenario.rotate(pool, { ...withPem(first), 'private-key-pem': body })
    expect(run.exitCode).toBe(1)
    expect(run.errors.join('\n')).toContain('Input private-key-pem ("(not shown)")')
    expect(run.errors.join('\n')).toContain('looks like the body of a key')
    expect(scenario.endpoint.received).toEqual([])
    const shown = shownOf(run)
    for (const line of lines) expect(shown).not.toContain(line.slice(0, 24))
    // The private scalar, in hex, is in no 24-digit piece of what is shown.
    const hex = Buffer.from(lines.join(''), 'base64').toString('hex')
    for (let at = 0; at + 24 <= hex.length; at += 12)
      expect(shown).not.toContain(hex.slice(at, at + 24))
  })
})

describe('retire-replaced', () => {
  /** First puts `first` on the domain by certificate-pem (imported, tagged); its ARN. */
  async function importedFirst(): Promise<string> {
    const run = await scenario.rotate(pool, withPem(first))
    expect(run.exitCode).toBe(0)
    return run.outputs['certificate-arn'] ?? ''
  }

  const retiring = async (extra: Record<string, string> = {}) => {
    edge = await startTlsServer([second])
    return scenario.rotate(pool, {
      ...withPem(second),
      'wait-for-rollout': 'true',
      'poll-interval-seconds': '1',
      'tls-endpoint': edge.endpoint,
      'retire-replaced': 'true',
      ...extra
    })
  }

  test('deletes the certificate it replaced, which this action imported and nothing uses', async () => {
    const replaced = await importedFirst()

    const run = await retiring()

    expect(run.exitCode).toBe(0)
    expect(run.outputs['retired-certificate-arn']).toBe(replaced)
    expect(
      scenario.endpoint.requests('DeleteCertificate').map((request) => request.body.CertificateArn)
    ).toEqual([replaced])
    expect(leaks(run, second.privateKey)).toEqual([])
  })

  test('keeps it while ACM says something still uses it, until the wait ends', async () => {
    const replaced = await importedFirst()
    scenario.endpoint.always(
      'DescribeCertificate',
      editCertificate(replaced, { InUseBy: ['arn:aws:cloudfront::123456789012:distribution/E1'] })
    )

    const run = await retiring({ 'wait-timeout-minutes': '0.1' })

    expect(run.exitCode).toBe(0)
    expect(run.outputs['retired-certificate-arn']).toBe('')
    expect(run.warnings.join('\n')).toContain(`${replaced} was kept in ACM: it was still in use`)
    expect(scenario.endpoint.requests('DeleteCertificate')).toEqual([])
  })

  test('keeps a certificate this action did not import', async () => {
    const run = await retiring()

    expect(run.exitCode).toBe(0)
    expect(run.warnings.join('\n')).toContain(
      `${scenario.oldCert} was kept in ACM: this action did not import it`
    )
    expect(scenario.endpoint.requests('DeleteCertificate')).toEqual([])
  })
})
