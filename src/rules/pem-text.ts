/**
 * PEM text as users paste it into a secret: the blocks between `-----BEGIN <label>-----` and
 * `-----END <label>-----` lines, decoded, with any text around them (openssl's "Bag Attributes",
 * comments) left out. Nothing here returns a block's text: only labels and counts describe an
 * input, so a private key can never reach a message.
 */

/** One PEM block, decoded. */
export interface PemBlock {
  /** The label of its BEGIN line: CERTIFICATE, PRIVATE KEY, RSA PRIVATE KEY... */
  label: string
  /** RFC 1421 header lines inside the block, such as `Proc-Type: 4,ENCRYPTED`. */
  headers: string[]
  /** The DER bytes; undefined when the body is not base64. */
  der: Buffer | undefined
}

/** The blocks of a text, and whether a BEGIN line was left without its END line. */
export interface PemText {
  blocks: PemBlock[]
  unterminated: boolean
}

const MARKER = /-----(BEGIN|END) ([A-Z0-9 ]{1,40})-----/g
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/**
 * The PEM blocks of a text, in order: one pass over its BEGIN and END lines, so that a text of
 * many BEGIN lines without their END lines is read as fast as any other.
 */
export function readPem(text: string): PemText {
  const blocks: PemBlock[] = []
  let unterminated = false
  let open: { label: string; start: number; cut: boolean } | undefined
  for (const marker of text.matchAll(MARKER)) {
    const [line, kind, label = ''] = marker
    if (kind === 'BEGIN') {
      // A BEGIN line inside an open block: that block was cut, and both end at the next END line.
      if (open !== undefined) open.cut = true
      else open = { label, start: marker.index + line.length, cut: false }
      continue
    }
    if (open === undefined) continue
    if (open.cut || open.label !== label) unterminated = true
    else blocks.push(decodeBlock(label, text.slice(open.start, marker.index)))
    open = undefined
  }
  return { blocks, unterminated: unterminated || open !== undefined }
}

function decodeBlock(label: string, body: string): PemBlock {
  // A secret saved with its line breaks written as \n is read as if they were line breaks.
  const lines = body
    .split(/\r?\n|\\r\\n|\\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
  const headers = lines.filter((line) => line.includes(':'))
  // Spaces inside the base64 are dropped too: a secret pasted as one line has them for line breaks.
  const base64 = lines
    .filter((line) => !line.includes(':'))
    .join('')
    .replace(/\s+/g, '')
  const der = base64 !== '' && BASE64.test(base64) ? Buffer.from(base64, 'base64') : undefined
  return { label, headers, der }
}

/** The blocks with a label that ends in PRIVATE KEY (whatever kind of key). */
export function keyBlocks(pem: PemText): PemBlock[] {
  return pem.blocks.filter((block) => block.label.endsWith('PRIVATE KEY'))
}

/**
 * What a PEM text holds, for the value of a problem: labels and counts only, never its content.
 * For example "(PEM text: 3 certificates)" or "(PEM text: 1 certificate, 1 PRIVATE KEY block)".
 */
export function describePem(text: string): string {
  const { blocks } = readPem(text)
  if (blocks.length === 0) return text.trim() === '' ? '(empty)' : '(text without a PEM block)'
  const counts = new Map<string, number>()
  for (const block of blocks) counts.set(block.label, (counts.get(block.label) ?? 0) + 1)
  const parts = [...counts].map(([label, count]) =>
    label === 'CERTIFICATE'
      ? `${count} certificate${count === 1 ? '' : 's'}`
      : `${count} ${label} block${count === 1 ? '' : 's'}`
  )
  return `(PEM text: ${parts.join(', ')})`
}
