// Builds dist/ from src/ in two steps. esbuild bundles, tree-shakes and minifies to ES modules, split
// at every dynamic import() so a run loads only the code its path needs (the GitHub client only when
// a token is given, the SDK's other credential providers only when they are used). Rollup then
// regroups esbuild's files so that a rotation reads two (see regroup() below). Also writes
// dist/licenses.txt for every bundled package.
//
// The plugins below each replace one thing in what esbuild reads, and say why where they are
// defined. Each, and the Rollup regroup, has a test named after it that fails when a dependency
// update makes it stop doing its job: in __tests__/e2e/cold-start.test.ts (what a run loads) and
// bundle-contents.test.ts (what dist/ holds).
//
// The first: @actions/core's OIDC helper (core.getIDToken) is replaced by a stub. This action
// never asks for an OIDC token (configure-aws-credentials does that in its own step), and the
// helper statically pulls in @actions/http-client and undici, which would be parsed on every cold
// start.
import * as esbuild from 'esbuild'
import { rollup } from '@rollup/wasm-node'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
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
//
// That interop copies every own property of a CommonJS module into a namespace object for each ES
// module that imports it: a hundred getters for node:fs or node:crypto, thirty times over on a
// rotation's path. For ES imports the value is therefore an object whose prototype is the built-in:
// it has nothing to copy, and every export reads through to the built-in. require() calls get the
// built-in itself (TypeScript's own interop in @actions/* copies own properties only), as do
// built-ins that are a function (node:events) or whose properties are written (node:process).
const builtinsAsValues = {
  name: 'builtins-as-values',
  setup(build) {
    build.onResolve({ filter: /^[a-z_:/0-9]+$/ }, (args) => {
      if (!isBuiltin(args.path)) return undefined
      // Our own import('node:tls') (the TLS check) stays an ES import: it uses the namespace.
      // The SDK's import('http') must not: that facade is the one that loads undici.
      const ours = !args.importer.includes(`${path.sep}node_modules${path.sep}`)
      if (args.kind === 'dynamic-import' && ours) return { path: args.path, external: true }
      const throughPrototype =
        args.kind === 'import-statement' && !/^(node:)?process$/.test(args.path)
      return {
        path: args.path,
        namespace: throughPrototype ? 'builtin-imported' : 'builtin',
        sideEffects: false
      }
    })
    build.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({
      contents: `module.exports = process.getBuiltinModule(${JSON.stringify(args.path)})`,
      loader: 'js'
    }))
    build.onLoad({ filter: /.*/, namespace: 'builtin-imported' }, (args) => ({
      contents: [
        `const builtin = process.getBuiltinModule(${JSON.stringify(args.path)})`,
        'module.exports = typeof builtin === "object" ? Object.create(builtin) : builtin'
      ].join('\n'),
      loader: 'js'
    }))
  }
}

// src/inputs/regions.ts checks region names with the SDK's partition() at start-up. Through the package's
// public entry, @aws-sdk/core/client, that also loads the module that registers the endpoint
// functions (a side effect) and with it much of @smithy/core, long before any client needs them.
// In the bundle, regions.ts gets the same function from the SDK's own file that defines it.
//
// That file is found with esbuild's own resolver, as the barrel's import of it is, so both carry
// the package's sideEffects flag. A plain path from a plugin carries none, and esbuild keeps the
// flags of whichever of the two resolutions of one file finishes first: the output then changed
// from one build to the next (about one build in fifteen), and CI's dist check failed on it.
const partitionOnly = {
  name: 'partition-only',
  setup(build) {
    build.onResolve({ filter: /^@aws-sdk\/core\/client$/ }, async (args) => {
      if (!args.importer.endsWith(path.join('src', 'inputs', 'regions.ts'))) return undefined
      // Without an importer this resolution does not come back here.
      const barrel = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir
      })
      const partition = await build.resolve('./util-endpoints/lib/aws/partition.js', {
        kind: args.kind,
        resolveDir: path.dirname(barrel.path)
      })
      const errors = [...barrel.errors, ...partition.errors]
      if (errors.length > 0) return { errors }
      return { path: partition.path, sideEffects: partition.sideEffects }
    })
  }
}

// @actions/github (loaded only with github-token) calls GitHub through undici's fetch, and
// @actions/http-client asks undici for a ProxyAgent when HTTPS_PROXY or HTTP_PROXY is set. Node 24
// has undici's fetch built in, so the bundle takes both from src/aws/sdk/undici-from-node.ts instead of
// a second copy of undici (400 KB minified); its ProxyAgent switches on node's own proxy support.
const undiciFromNode = {
  name: 'undici-from-node',
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, () => ({
      path: path.join(root, 'src', 'aws', 'sdk', 'undici-from-node.ts')
    }))
  }
}

// What a rotation loads beyond index.js: the two clients, and what the SDK imports on every call
// (its retry strategy and node:http, for the request handler).
const ROTATION = [
  'src/aws/sdk/cognito-client.ts',
  'src/aws/sdk/acm-client.ts',
  'node_modules/@smithy/core/dist-es/submodules/retry/index.js',
  'builtin:node:http'
]

const staging = await mkdtemp(path.join(tmpdir(), 'cognito-domain-cert-bundle-'))
try {
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { index: 'src/index.ts' },
    outdir: staging,
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
    plugins: [withoutOidc, builtinsAsValues, partitionOnly, undiciFromNode],
    metafile: true,
    logLevel: 'warning'
  })
  await noRuntimeRequire(staging)
  await rm(outdir, { recursive: true, force: true })
  await mkdir(outdir)
  await regroup(result.metafile, staging, outdir)
  await writeFile(path.join(outdir, 'package.json'), '{\n  "type": "module"\n}\n')
  await writeFile(path.join(outdir, 'licenses.txt'), await licenses(result.metafile))
} finally {
  await rm(staging, { recursive: true, force: true })
}

/**
 * Every require() in the bundled packages is resolved at build time: built-ins become
 * process.getBuiltinModule() (builtinsAsValues), the rest is bundled. A require() esbuild could not
 * resolve would become its shim, which throws "Dynamic require of ... is not supported" when run;
 * the build fails here instead, naming the file.
 */
async function noRuntimeRequire(dir) {
  const files = readdirSync(dir, { recursive: true }).filter((file) => file.endsWith('.js'))
  for (const file of files) {
    if ((await readFile(path.join(dir, file), 'utf8')).includes('Dynamic require of')) {
      throw new Error(
        `${file} calls require() for a module esbuild could not bundle: bundle it, or make it a built-in in builtinsAsValues`
      )
    }
  }
}

/**
 * esbuild gives code shared between entry points one chunk per set of entries that use it: with
 * the SDK's nested clients and credential providers as entries, a rotation read 14 files, and
 * each ES module costs node a file read, a resolution and a link (about 8 ms in all). Rollup
 * regroups esbuild's output: index.js with everything it imports statically, one chunk (aws.js)
 * with the rest of what a rotation loads (ROTATION and what it imports statically), and every
 * other file as esbuild made it, so the GitHub client and the other credential providers still
 * load only when used.
 */
async function regroup(metafile, from, to) {
  const outputs = Object.entries(metafile.outputs).map(([file, output]) => ({
    file: path.basename(file),
    entryPoint: output.entryPoint,
    imports: output.imports
      .filter((use) => use.kind === 'import-statement' && !use.external)
      .map((use) => path.basename(use.path))
  }))
  const importsOf = new Map(outputs.map((output) => [output.file, output.imports]))
  const staticClosure = (files) => {
    const seen = new Set()
    const visit = (file) => {
      if (seen.has(file)) return
      seen.add(file)
      for (const next of importsOf.get(file) ?? []) visit(next)
    }
    files.forEach(visit)
    return seen
  }
  const entry = staticClosure(['index.js'])
  const rotation = staticClosure(
    ROTATION.map((entryPoint) => {
      const output = outputs.find((candidate) => candidate.entryPoint === entryPoint)
      if (output === undefined) {
        throw new Error(
          `esbuild made no chunk for ${entryPoint}: update ROTATION in scripts/bundle.js`
        )
      }
      return output.file
    })
  )
  const bundle = await rollup({
    input: path.join(from, 'index.js'),
    external: (id) => isBuiltin(id),
    onwarn: (warning) => {
      if (warning.code !== 'CIRCULAR_DEPENDENCY') throw new Error(`rollup: ${warning.message}`)
    }
  })
  await bundle.write({
    dir: to,
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name].js',
    manualChunks: (id) => {
      const file = path.basename(id)
      if (entry.has(file)) return 'index'
      if (rotation.has(file)) return 'aws'
      return undefined
    }
  })
  await bundle.close()
}

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
