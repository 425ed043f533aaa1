// Builds dist/ from src/ with esbuild: ES modules, tree-shaken and minified, split at every dynamic
// import() so a run loads only the code its path needs (the Cognito client, then ACM, then the GitHub
// client only when a token is given). Also writes dist/licenses.txt for every bundled package.
//
// One substitution: @actions/core's OIDC helper (core.getIDToken) is replaced by a stub. This action
// never asks for an OIDC token (configure-aws-credentials does that in its own step), and the helper
// statically pulls in @actions/http-client and undici, which would be parsed on every cold start.
import * as esbuild from 'esbuild'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { isBuiltin } from 'node:module'

const root = path.resolve(import.meta.dirname, '..')
const outdir = path.join(root, 'dist')

const withoutOidc = {
  name: 'without-oidc',
  setup(build) {
    build.onResolve({ filter: /^\.\/oidc-utils\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}@actions${path.sep}core${path.sep}`)
        ? { path: 'oidc-utils', namespace: 'without-oidc' }
        : undefined
    )
    build.onLoad({ filter: /.*/, namespace: 'without-oidc' }, () => ({
      contents:
        'export class OidcClient { static getIDToken() { throw new Error("core.getIDToken is not bundled with this action") } }',
      loader: 'js'
    }))
  }
}

// Node's built-in modules are loaded with process.getBuiltinModule(), not import. An ES import of a
// built-in builds a facade that reads every export once, and reading node:http's WebSocket export
// loads node's own copy of undici (about 15 ms of a cold start). As a CommonJS value, esbuild's
// interop reads an export only when the code uses it. (Only for static imports; see below.)
const builtinsAsValues = {
  name: 'builtins-as-values',
  setup(build) {
    build.onResolve({ filter: /^[a-z_:/0-9]+$/ }, (args) => {
      if (!isBuiltin(args.path)) return undefined
      // Our own import('node:tls') (the TLS check) stays an ES import: it uses the namespace.
      // The SDK's import('http') must not: that facade is the one that loads undici.
      const ours = !args.importer.includes(`${path.sep}node_modules${path.sep}`)
      if (args.kind === 'dynamic-import' && ours) return { path: args.path, external: true }
      return { path: args.path, namespace: 'builtin', sideEffects: false }
    })
    build.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({
      contents: `module.exports = process.getBuiltinModule(${JSON.stringify(args.path)})`,
      loader: 'js'
    }))
  }
}

// src/regions.ts checks region names with the SDK's partition() at start-up. Through the package's
// public entry, @aws-sdk/core/client, that also loads the module that registers the endpoint
// functions (a side effect) and with it much of @smithy/core, long before any client needs them.
// In the bundle, regions.ts gets the same function from the SDK's own file that defines it.
const partitionOnly = {
  name: 'partition-only',
  setup(build) {
    build.onResolve({ filter: /^@aws-sdk\/core\/client$/ }, (args) =>
      args.importer.endsWith(path.join('src', 'regions.ts'))
        ? {
            path: path.join(
              root,
              'node_modules/@aws-sdk/core/dist-es/submodules/client/util-endpoints/lib/aws/partition.js'
            )
          }
        : undefined
    )
  }
}

// @actions/github (loaded only with github-token) calls GitHub through undici's fetch, and
// @actions/http-client uses undici's ProxyAgent when HTTPS_PROXY is set. Node 24 has undici's
// fetch built in, so the bundle uses that instead of a second copy (400 KB minified). Without the
// ProxyAgent a deployment can't be recorded through a proxy: that case ends in a warning, like any
// other failure to record. (The AWS SDK does not read HTTPS_PROXY either.)
const undiciFromNode = {
  name: 'undici-from-node',
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, () => ({
      path: 'undici',
      namespace: 'undici-from-node'
    }))
    build.onLoad({ filter: /.*/, namespace: 'undici-from-node' }, () => ({
      contents: [
        'export const fetch = (...args) => globalThis.fetch(...args)',
        'export class ProxyAgent {',
        '  constructor() {',
        '    throw new Error("a proxy is set (HTTPS_PROXY), and this action calls GitHub without proxy support")',
        '  }',
        '}'
      ].join('\n'),
      loader: 'js'
    }))
  }
}

await rm(outdir, { recursive: true, force: true })
await mkdir(outdir)
const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: { index: 'src/index.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // The SDK's ES module builds tree-shake; its CommonJS builds (the default on node) do not.
  mainFields: ['module', 'main'],
  minify: true,
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  // A few bundled CommonJS packages call require() for Node's built-in modules.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);"
  },
  plugins: [withoutOidc, builtinsAsValues, partitionOnly, undiciFromNode],
  metafile: true,
  logLevel: 'warning'
})

await writeFile(path.join(outdir, 'package.json'), '{\n  "type": "module"\n}\n')
await writeFile(path.join(outdir, 'licenses.txt'), await licenses(result.metafile))

/**
 * The licence of every npm package with code in the bundle, in a stable order; packages with the
 * same licence text share one copy of it (most of the AWS SDK's packages carry the same Apache-2.0).
 */
async function licenses(metafile) {
  const packages = new Map()
  const bundled = Object.values(metafile.outputs).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, use]) => use.bytesInOutput > 0)
      .map(([input]) => input)
  )
  for (const input of bundled) {
    const at = input.lastIndexOf('node_modules/')
    if (at < 0) continue
    const rest = input.slice(at + 'node_modules/'.length).split('/')
    const name = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]
    packages.set(name, path.join(root, input.slice(0, at), 'node_modules', name))
  }
  const byText = new Map()
  for (const [name, dir] of [...packages].sort(([a], [b]) => a.localeCompare(b))) {
    const manifest = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'))
    const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f))
    const text = file
      ? (await readFile(path.join(dir, file), 'utf8')).trim()
      : '(no licence file in the package)'
    const names = byText.get(text) ?? []
    names.push(`${name}@${manifest.version} (${manifest.license ?? 'UNKNOWN'})`)
    byText.set(text, names)
  }
  const sections = [...byText].map(([text, names]) => `${names.join('\n')}\n\n${text}`)
  return `${sections.join('\n\n' + '-'.repeat(72) + '\n\n')}\n`
}
