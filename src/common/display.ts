/**
 * How a value that came from outside (an input, a service message) is shown in a log line.
 * Printable ASCII stays as it is; everything else is written as an escape, so a newline can never
 * start a workflow command and a look-alike Unicode letter is visible as what it is.
 */
const MAX_SHOWN = 120

export function shown(value: string): string {
  const chars = Array.from(value)
  const kept = chars.slice(0, MAX_SHOWN).map(escapeChar).join('')
  const rest = chars.length > MAX_SHOWN ? `… (${chars.length} characters)` : ''
  return `"${kept}"${rest}`
}

function escapeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0
  if (ch === '"' || ch === '\\') return `\\${ch}`
  if (code >= 0x20 && code < 0x7f) return ch
  if (ch === '\n') return '\\n'
  if (ch === '\r') return '\\r'
  if (ch === '\t') return '\\t'
  return `\\u{${code.toString(16).toUpperCase()}}`
}

/** The value with its control characters escaped, for text from a service shown in a log line. */
export function oneLine(value: string): string {
  return Array.from(value)
    .map((ch) => (hasControlCharacter(ch) ? escapeChar(ch) : ch))
    .join('')
}

/** True when the value holds a character that has no place in any input of this action. */
export function hasControlCharacter(value: string): boolean {
  // C0 and C1 controls, DEL, line and paragraph separators.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(value)
}

/** Escapes text for the HTML/Markdown job summary. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\|/g, '&#124;')
}
