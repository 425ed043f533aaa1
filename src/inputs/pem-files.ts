/**
 * certificate-pem, private-key-pem and certificate-chain-pem each take the PEM text itself (for
 * example a secret) or the path of a file that holds it: a value with a -----BEGIN line, or of
 * several lines, is text; a value of one line is read as a path, relative to the workspace. Every
 * text is handed to `onText` (which masks the key material in it) as soon as it is read, before
 * anything parses it; a value that is neither text nor a file, and looks like key material, is
 * masked too and never shown.
 */
import { readFileSync, statSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import type { Problem } from '../common/problem.js'

export const PEM_INPUTS = ['certificate-pem', 'private-key-pem', 'certificate-chain-pem'] as const
export type PemInput = (typeof PEM_INPUTS)[number]

/** The largest file read: more than ACM imports for a certificate with its chain. */
const MAX_FILE_BYTES = 2_200_000

/** The largest private-key-pem file read: a key, even with its certificates, is far smaller. */
const MAX_KEY_FILE_BYTES = 100_000

/** The longest value read as a path: anything longer is text, however it looks. */
const MAX_PATH = 1024

/**
 * What a value is: `text` has a -----BEGIN line (with whatever comes before it, such as openssl's
 * "Bag Attributes"), several lines, or is too long to be a path; `path` names something that
 * exists; `body` names nothing and looks like key material without its BEGIN and END lines (a key's
 * body with its line breaks lost); anything else is a `path` to a file that is missing. Text and a
 * body are never shown; a path is.
 */
export type PemValueKind = 'text' | 'path' | 'body'

export function classifyPemValue(value: string, workspace: string): PemValueKind {
  if (value.includes('-----BEGIN') || /[\r\n]/.test(value.trim()) || value.length > MAX_PATH)
    return 'text'
  if (exists(resolvePath(value, workspace))) return 'path'
  return looksLikeBody(value) ? 'body' : 'path'
}

/**
 * Key material, not a file name, once spaces and line breaks written as \n are taken out: a run of
 * 40 base64 characters or more, with upper and lower case letters and digits (a DER body), or of
 * 32 hex digits or more, with or without colons (a key as `xxd -p` or `openssl ec -text` writes it).
 */
function looksLikeBody(value: string): boolean {
  const joined = value.replace(/\\[rn]|\s+/g, '')
  const base64 = (joined.match(/[A-Za-z0-9+/=]{40,}/g) ?? []).some(
    (run) => /[A-Z]/.test(run) && /[a-z]/.test(run) && /[0-9]/.test(run)
  )
  const hex = (joined.match(/[0-9A-Fa-f:]{32,}/g) ?? []).some(
    (run) => run.replace(/:/g, '').length >= 32
  )
  return base64 || hex
}

function resolvePath(value: string, workspace: string): string {
  return isAbsolute(value) ? value : resolve(workspace, value)
}

function exists(path: string): boolean {
  try {
    statSync(path)
    return true
  } catch {
    return false
  }
}

/** A PEM input as the problems may show it: the path of a file, never the text. */
export function pemShown(path: string | undefined): string {
  return path ?? '(PEM text)'
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
    const kind = classifyPemValue(value, workspace)
    if (kind === 'text') {
      onText(input, value)
      files.texts[input] = value
      continue
    }
    if (kind === 'body') {
      onText(input, value)
      files.problems.push({
        input,
        value: '(not shown)',
        rule: 'is neither PEM text (it has no -----BEGIN line) nor the path of a file; it looks like the body of a key or certificate without its BEGIN and END lines, so it is not shown',
        fix: `Give the whole PEM text, from its -----BEGIN line to its -----END line (for example \${{ secrets.${secretName(input)} }}), or the path of a file in the workspace that holds it.`
      })
      continue
    }
    const path = resolvePath(value, workspace)
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
  const givePem = `Give the PEM text itself (for example \${{ secrets.${secretName(input)} }}), which starts with -----BEGIN, or the path of a file in the workspace that holds it.`
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
  if (input === 'private-key-pem' && size > MAX_KEY_FILE_BYTES)
    return problem(
      `names a file of ${size} bytes (${path}), far more than a private key (with its certificates, a key file holds a few kilobytes)`,
      givePem
    )
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

function secretName(input: string): string {
  return input === 'private-key-pem' ? 'AUTH_KEY_PEM' : 'AUTH_CERT_PEM'
}
