import { describe, expect, test } from '@jest/globals'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { createRequire, isBuiltin } from 'node:module'
import { dirname, join } from 'node:path'
import { root } from '../support/action.ts'

// What the files of dist/ hold, as scripts/bundle.js arranges it. Each test stands for one of the
// build's steps, named in its title, and fails when a dependency update makes that step stop doing
// its job; cold-start.test.ts checks what a run loads. Every text that must be missing from a file
// is also looked for where it belongs, so that a test can't pass because the text changed.
const dist = join(root, 'dist')
const files = readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((file) =>
  statSync(join(dist, file)).isFile()
)
const read = (file: string): string => readFileSync(join(dist, file), 'utf8')
const githubClient = files.find((file) => /^chunks[\\/]github-client-\w+\.js$/.test(file))

describe('what dist/ holds', () => {
  test("index.js has no @actions/http-client: @actions/core's OIDC helper, which imports it, is left out (withoutOidc)", () => {
    if (githubClient === undefined) throw new Error(`no GitHub client chunk in ${files.join(' ')}`)
    // http-client's status codes, and the proxy tunnel it loads with them; the GitHub client has both.
    for (const text of ['ProxyAuthenticationRequired', 'tunneling connection has established']) {
      expect(read(githubClient)).toContain(text)
      expect(read('index.js')).not.toContain(text)
    }
  })

  test("index.js checks regions with the SDK's partition data, without its endpoint functions (partitionOnly)", () => {
    const index = read('index.js')
    expect(index).toContain('"aws-us-gov"')
    // A name in the SDK's registry of endpoint functions, which the clients load in chunks/aws.js.
    expect(read(join('chunks', 'aws.js'))).toContain('isVirtualHostableS3Bucket')
    expect(index).not.toContain('isVirtualHostableS3Bucket')
  })

  test("no copy of undici: the GitHub client takes node's own fetch (undiciFromNode)", () => {
    // undici's error codes (UND_ERR_CONNECT_TIMEOUT, ...), in the package @actions/* import.
    const httpClient = join(root, 'node_modules', '@actions', 'http-client', 'package.json')
    const undici = dirname(createRequire(httpClient).resolve('undici'))
    const undiciSource = readdirSync(undici, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.js'))
      .map((file) => readFileSync(join(undici, file), 'utf8'))
    expect(undiciSource.some((text) => text.includes('UND_ERR_'))).toBe(true)
    for (const file of files) expect([file, read(file).includes('UND_ERR_')]).toEqual([file, false])
    // 0.58 MB in December 2026; a bundled undici adds 0.42 MB.
    const bytes = files.reduce((total, file) => total + statSync(join(dist, file)).size, 0)
    expect(bytes).toBeLessThan(750_000)
  })

  test("no file imports one of node's built-ins statically: they are values from process.getBuiltinModule() (builtinsAsValues)", () => {
    const imported = files
      .filter((file) => file.endsWith('.js'))
      .flatMap((file) =>
        [...read(file).matchAll(/\b(?:from|import)\s*["']([^"']+)["']/g)].map(
          (match) => `${file}: ${match[1] ?? ''}`
        )
      )
    expect(imported.length).toBeGreaterThan(0)
    expect(imported.filter((line) => isBuiltin(line.slice(line.indexOf(': ') + 2)))).toEqual([])
    expect(read('index.js')).toContain('process.getBuiltinModule(')
  })
})
