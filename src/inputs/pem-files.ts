/**
 * certificate-pem, private-key-pem and certificate-chain-pem each take the PEM text itself (for
 * example a secret) or the path of a file that holds it: a value with a -----BEGIN line, or of
 * several lines, is text; a value of one line is read as a path, relative to the workspace. Every
 * text is handed to `onText` (which masks the key material in it) as soon as it is read, before
 * anything parses it; a value that is neither (one line, too long for a path) is never shown.
 */
import { readFileSync, statSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import type { Problem } from '../common/problem.js'

export const PEM_INPUTS = ['certificate-pem', 'private-key-pem', 'certificate-chain-pem'] as const
export type PemInput = (typeof PEM_INPUTS)[number]

/** The largest file read: more than ACM imports for a certificate with its chain. */
const MAX_FILE_BYTES = 2_200_000

/** The longest value read as a path: anything longer is text, however it looks. */
const MAX_PATH = 1024

/**
 * Whether a value is text rather than a path: it has a -----BEGIN line (with whatever comes before
 * it, such as openssl's "Bag Attributes"), several lines, or a long run of base64 with no dot (a
 * key's body without its markers), or is too long to be a path. Text is never shown.
 */
export function isPemText(value: string): boolean {
  const trimmed = value.trim()
  return (
    value.includes('-----BEGIN') ||
    /[\r\n]/.test(trimmed) ||
    /^[A-Za-z0-9+/=_-]{40,}$/.test(trimmed) ||
    value.length > MAX_PATH
  )
}

/** A PEM input as the problems may show it: never the text, the path of a file. */
export function pemShown(value: string, path: string | undefined): string {
  if (path !== undefined) return path
  return isPemText(value) ? '(PEM text)' : value
}

/** The PEM inputs' texts, files read; with the path each came from, for the messages. */
export interface PemFiles {
  texts: Partial<Record<PemInput, string>>
  paths: Partial<Record<PemInput, string>>
  problems: Problem[]
}

export function readPemFiles(
  values: Record<PemInput, string>,
  workspace: string,
  onText: (input: PemInput, text: string) => void
): PemFiles {
  const files: PemFiles = { texts: {}, paths: {}, problems: [] }
  for (const input of PEM_INPUTS) {
    const value = values[input]
    if (value === '') continue
    if (isPemText(value)) {
      onText(input, value)
      files.texts[input] = value
      continue
    }
    const path = isAbsolute(value) ? value : resolve(workspace, value)
    files.paths[input] = value
    const read = readText(input, value, path)
    if ('problem' in read) {
      files.problems.push(read.problem)
      continue
    }
    onText(input, read.text)
    files.texts[input] = read.text
  }
  return files
}

function readText(
  input: string,
  value: string,
  path: string
): { text: string } | { problem: Problem } {
  const problem = (rule: string, fix: string) => ({ problem: { input, value, rule, fix } })
  const secret = input === 'private-key-pem' ? 'AUTH_KEY_PEM' : 'AUTH_CERT_PEM'
  const givePem = `Give the PEM text itself (for example \${{ secrets.${secret} }}), which starts with -----BEGIN, or the path of a file in the workspace that holds it.`
  let size: number
  try {
    const stat = statSync(path)
    if (!stat.isFile())
      return problem(
        `is the path of ${stat.isDirectory() ? 'a folder' : 'something other than a file'} (${path})`,
        givePem
      )
    size = stat.size
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return problem(
      code === 'ENOENT'
        ? `is not PEM text (it does not start with -----BEGIN), so it was read as a path, and there is no file ${path}`
        : `names a file that can't be read (${path}: ${code ?? String(error)})`,
      `${givePem} A relative path is read from the workspace (GITHUB_WORKSPACE); write the file in an earlier step of the same job.`
    )
  }
  if (size > MAX_FILE_BYTES)
    return problem(
      `names a file of ${size} bytes (${path}), far more than a certificate, its chain or a key`,
      givePem
    )
  try {
    return { text: readFileSync(path, 'utf8') }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return problem(`names a file that can't be read (${path}: ${code ?? String(error)})`, givePem)
  }
}
