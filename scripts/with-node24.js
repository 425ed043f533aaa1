// Runs a script under node 24, whatever node runs npm: `node scripts/with-node24.js SCRIPT [ARGS]`.
// `npm run try` and `npm run bench` start here under the developer's node (20 or later), so this
// file is plain JavaScript; the scripts are TypeScript, which node 24 runs as it is (type
// stripping). scripts/node24.js chooses the node 24, as it does for the tests.
import { spawn } from 'node:child_process'
import process from 'node:process'
import { findNode24 } from './node24.js'

const node24 = findNode24()
if ('problem' in node24) {
  process.stderr.write(`${node24.problem}\n`)
  process.exit(1)
}
const child = spawn(node24.path, process.argv.slice(2), { stdio: 'inherit' })
// Ctrl-C reaches both processes; a signal sent to this one alone is passed on.
const signals = ['SIGINT', 'SIGTERM', 'SIGHUP']
for (const signal of signals) process.on(signal, () => child.kill(signal))
child.on('error', (error) => {
  process.stderr.write(`Could not start ${node24.path}: ${error.message}\n`)
  process.exit(1)
})
child.on('exit', (code, signal) => {
  if (signal === null) process.exit(code ?? 1)
  // Ends as the script ended, so that the shell sees the same signal.
  for (const name of signals) process.removeAllListeners(name)
  process.kill(process.pid, signal)
})
