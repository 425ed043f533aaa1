/**
 * A small PKI made by openssl for the PEM rules, once per test file (beforeAll), in a temporary
 * folder (removePki in afterAll): a root, an intermediate under it, leaves that the intermediate
 * issued for each case, and keys in each form users paste. Leaf dates are fixed around NOW, so
 * facts and warnings are the same on every run. One RSA 4096 key: it takes openssl a second.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runProcess } from './process.ts'

/** The time the tests judge at: valid leaves have 90 days left. */
export const NOW = new Date('2026-06-01T00:00:00Z')
export const DOMAIN = 'auth.example.com'

const RSA_2048 = 'genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048'

/** The openssl command that makes each key of a leaf (written to <name>.key). */
const GENERATED = {
  rsa: RSA_2048,
  mismatched: RSA_2048,
  rsa4096: 'genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:4096',
  // ecparam writes an EC PARAMETERS block before the SEC 1 key, as older guides do.
  ec256: 'ecparam -name prime256v1 -genkey',
  ec384: 'genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384',
  ed25519: 'genpkey -algorithm ed25519'
}

/**
 * The keys of the CAs. The impostor's is RSA like the intermediate's: OpenSSL never counts a CA
 * with another kind of key as an issuer.
 */
const CA_KEYS = {
  root: RSA_2048,
  intermediate: RSA_2048,
  other: 'genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256',
  impostor: RSA_2048
}

/** The RSA key again, in the other forms users paste. */
const DERIVED = {
  rsaPkcs1: 'rsa -in rsa.key -traditional',
  encrypted: 'pkcs8 -topk8 -in rsa.key -passout pass:secret',
  legacyEncrypted: 'rsa -in rsa.key -aes128 -traditional -passout pass:secret'
}

export type KeyName = keyof typeof GENERATED | keyof typeof DERIVED

interface Signing {
  key: keyof typeof GENERATED | keyof typeof CA_KEYS
  /** The CN; DOMAIN unless given. */
  subject?: string
  /** A section of the extensions file; leaf unless given. */
  extensions?: string
  /** NotBefore and NotAfter; VALID unless given. */
  dates?: [string, string]
  /** The CA that signs it; the intermediate unless given, none for a self-signed one. */
  issuer?: keyof typeof CA_KEYS | 'none'
}

const VALID: [string, string] = ['20260501000000Z', '20260830000000Z']
const CA_DATES: [string, string] = ['20250101000000Z', '20350101000000Z']

const CAS = {
  root: { key: 'root', subject: 'Test Root CA', extensions: 'ca', issuer: 'none' },
  intermediate: { key: 'intermediate', subject: 'Test Intermediate CA', issuer: 'root' },
  /** A root that issued none of the leaves. */
  other: { key: 'other', subject: 'Other Root CA', extensions: 'ca', issuer: 'none' },
  /** Named and identified like the intermediate, with another key: it signed nothing here. */
  impostor: { key: 'impostor', subject: 'Test Intermediate CA', issuer: 'root' }
} satisfies Record<string, Signing>

const LEAVES = {
  rsa: { key: 'rsa' },
  sct: { key: 'rsa', extensions: 'sct' },
  ec256: { key: 'ec256' },
  ec384: { key: 'ec384' },
  rsa4096: { key: 'rsa4096' },
  ed25519: { key: 'ed25519' },
  expired: { key: 'rsa', dates: ['20260101000000Z', '20260401000000Z'] },
  notYetValid: { key: 'rsa', dates: ['20260701000000Z', '20261001000000Z'] },
  // The CN names the domain, the subjectAltName another host: browsers go by the latter.
  otherName: { key: 'rsa', extensions: 'other' },
  wildcard: { key: 'rsa', subject: '*.example.com', extensions: 'wildcard' },
  noSan: { key: 'rsa', extensions: 'nosan' },
  selfSigned: { key: 'rsa', issuer: 'none' },
  big: { key: 'rsa', extensions: 'big' }
} satisfies Record<string, Signing>

export type LeafName = keyof typeof LEAVES | 'version1'

export interface Pki {
  dir: string
  root: string
  intermediate: string
  /** A root that issued none of the leaves. */
  otherRoot: string
  /** Named and identified like the intermediate, with another key: it signed nothing here. */
  impostor: string
  leaf: Record<LeafName, string>
  key: Record<KeyName, string>
}

const CA = 'basicConstraints = critical,CA:TRUE\nkeyUsage = critical,keyCertSign,cRLSign'
const LEAF = 'basicConstraints = CA:FALSE\nextendedKeyUsage = serverAuth'
const SAN = `subjectAltName = DNS:${DOMAIN}`

function extensionsFile(): string {
  // An extension of 25000 bytes makes a certificate larger than ACM's 32768-byte limit as PEM.
  const big = `1.3.6.1.4.1.55555.1 = DER:048261a8${'00'.repeat(25000)}`
  return [
    `[ca]\n${CA}`,
    // One key identifier for the intermediate and the impostor: names and identifiers both match.
    `[intermediate]\n${CA}\nsubjectKeyIdentifier = 0102030405060708090a0b0c0d0e0f1011121314`,
    `[leaf]\n${LEAF}\n${SAN}`,
    `[sct]\n${LEAF}\n${SAN}\n1.3.6.1.4.1.11129.2.4.2 = DER:0400`,
    `[other]\n${LEAF}\nsubjectAltName = DNS:other.example.com`,
    `[wildcard]\n${LEAF}\nsubjectAltName = DNS:*.example.com`,
    `[nosan]\n${LEAF}`,
    `[big]\n${LEAF}\n${SAN}\n${big}`
  ].join('\n\n')
}

const CA_CONFIG = `[ca]
default_ca = test
[test]
database = index.txt
new_certs_dir = .
rand_serial = yes
default_md = sha256
policy = any
unique_subject = no
[any]
commonName = optional
`

export async function makePki(): Promise<Pki> {
  const dir = await mkdtemp(join(tmpdir(), 'pem-rules-'))
  const run = (command: string, ...more: string[]): Promise<void> => openssl(dir, command, more)
  const keys = { ...GENERATED, ...CA_KEYS }
  await Promise.all([
    writeFile(join(dir, 'ca.cnf'), CA_CONFIG),
    writeFile(join(dir, 'ext.cnf'), extensionsFile()),
    writeFile(join(dir, 'index.txt'), ''),
    ...Object.entries(keys).map(([name, command]) => run(`${command} -out ${name}.key`))
  ])
  await Promise.all([
    ...Object.entries(DERIVED).map(([name, command]) => run(`${command} -out ${name}.key`)),
    ...Object.keys(keys).map((name) =>
      run(`req -new -key ${name}.key -subj /CN=request -out ${name}.csr`)
    )
  ])
  // openssl ca keeps one database: one signature at a time, CAs first.
  for (const [name, signing] of Object.entries(CAS))
    await sign(run, name, { dates: CA_DATES, extensions: 'intermediate', ...signing })
  for (const [name, signing] of Object.entries<Signing>(LEAVES))
    await sign(run, `leaf-${name}`, signing)
  // Without extensions, openssl x509 -req makes a version 1 certificate.
  await run(
    'x509 -req -in rsa.csr -CA intermediate.pem -CAkey intermediate.key -set_serial 1 -days 30 -out leaf-version1.pem'
  )
  return read(dir)
}

async function sign(
  run: (command: string, ...more: string[]) => Promise<void>,
  name: string,
  signing: Signing
): Promise<void> {
  const { key, issuer = 'intermediate', extensions = 'leaf', dates = VALID } = signing
  const by =
    issuer === 'none'
      ? `-selfsign -keyfile ${key}.key`
      : `-cert ${issuer}.pem -keyfile ${issuer}.key`
  await run(
    `ca -config ca.cnf -batch -notext -in ${key}.csr ${by} -startdate ${dates[0]} -enddate ${dates[1]} -extfile ext.cnf -extensions ${extensions} -out ${name}.pem`,
    '-subj',
    `/CN=${signing.subject ?? DOMAIN}`
  )
}

async function read(dir: string): Promise<Pki> {
  const text = (file: string): Promise<string> => readFile(join(dir, file), 'utf8')
  const all = async <T extends string>(names: T[], file: (name: T) => string) =>
    Object.fromEntries(
      await Promise.all(names.map(async (name) => [name, await text(file(name))] as const))
    ) as Record<T, string>
  const leaves: LeafName[] = [...(Object.keys(LEAVES) as (keyof typeof LEAVES)[]), 'version1']
  const keys = Object.keys({ ...GENERATED, ...DERIVED }) as KeyName[]
  return {
    dir,
    root: await text('root.pem'),
    intermediate: await text('intermediate.pem'),
    otherRoot: await text('other.pem'),
    impostor: await text('impostor.pem'),
    leaf: await all(leaves, (name) => `leaf-${name}.pem`),
    key: await all(keys, (name) => `${name}.key`)
  }
}

export async function removePki(pki: Pki | undefined): Promise<void> {
  if (pki !== undefined) await rm(pki.dir, { recursive: true, force: true })
}

/** Runs openssl in `dir`: the command's words, then `more` (arguments with spaces). */
async function openssl(dir: string, command: string, more: string[]): Promise<void> {
  const args = [...command.split(' '), ...more]
  const done = await runProcess('openssl', args, {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    cwd: dir
  })
  if (done.exitCode !== 0) throw new Error(`openssl ${command} failed: ${done.stderr}`)
}
