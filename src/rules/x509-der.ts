/**
 * The two facts about a certificate that node's X509Certificate does not give: its version, and
 * which extensions it carries (by OID). Read from the DER with just enough of a reader to walk
 * Certificate → TBSCertificate → [0] version, [3] extensions (RFC 5280, section 4.1).
 */

/** The Certificate Transparency SCT list extension (RFC 6962, section 3.3). */
export const SCT_LIST_OID = '1.3.6.1.4.1.11129.2.4.2'

interface Tlv {
  tag: number
  /** Where the content starts and ends. */
  start: number
  end: number
}

const SEQUENCE = 0x30
const INTEGER = 0x02
const OID = 0x06
const VERSION = 0xa0
const EXTENSIONS = 0xa3

/** The X.509 version (1, 2 or 3), or undefined when the DER can't be read that far. */
export function certificateVersion(der: Buffer): number | undefined {
  const fields = tbsFields(der)
  if (fields === undefined) return undefined
  const first = fields[0]
  if (first?.tag !== VERSION) return 1
  const value = readTlv(der, first.start, first.end)
  if (value?.tag !== INTEGER || value.end - value.start !== 1) return undefined
  return (der[value.start] ?? 0) + 1
}

/** The OIDs of the certificate's extensions, dotted ("2.5.29.17"); empty when it has none. */
export function extensionOids(der: Buffer): string[] {
  const extensions = tbsFields(der)?.find((field) => field.tag === EXTENSIONS)
  if (extensions === undefined) return []
  const list = readTlv(der, extensions.start, extensions.end)
  if (list?.tag !== SEQUENCE) return []
  return children(der, list).flatMap((extension) => {
    const oid = readTlv(der, extension.start, extension.end)
    return oid?.tag === OID ? [dotted(der.subarray(oid.start, oid.end))] : []
  })
}

function tbsFields(der: Buffer): Tlv[] | undefined {
  const certificate = readTlv(der, 0, der.length)
  if (certificate?.tag !== SEQUENCE) return undefined
  const tbs = readTlv(der, certificate.start, certificate.end)
  return tbs?.tag === SEQUENCE ? children(der, tbs) : undefined
}

function children(der: Buffer, parent: Tlv): Tlv[] {
  const found: Tlv[] = []
  let at = parent.start
  while (at < parent.end) {
    const child = readTlv(der, at, parent.end)
    if (child === undefined) break
    found.push(child)
    at = child.end
  }
  return found
}

/**
 * One tag-length-value at `at`, within `limit`; undefined when it does not fit, or uses a form
 * that X.509 DER never needs (a multi-byte tag, a length of more than 4 octets).
 */
function readTlv(der: Buffer, at: number, limit: number): Tlv | undefined {
  const tag = der[at]
  const first = der[at + 1]
  if (tag === undefined || first === undefined || (tag & 0x1f) === 0x1f) return undefined
  let length = first
  let start = at + 2
  if (first >= 0x80) {
    const octets = first & 0x7f
    if (octets === 0 || octets > 4) return undefined
    length = 0
    for (let i = 0; i < octets; i++) length = length * 256 + (der[start + i] ?? 0)
    start += octets
  }
  const end = start + length
  return end <= limit ? { tag, start, end } : undefined
}

function dotted(bytes: Buffer): string {
  const arcs: number[] = []
  let value = 0
  for (const byte of bytes) {
    value = value * 128 + (byte & 0x7f)
    if (byte < 0x80) {
      arcs.push(value)
      value = 0
    }
  }
  const [head = 0, ...rest] = arcs
  const first = head < 80 ? Math.floor(head / 40) : 2
  return [first, head - first * 40, ...rest].join('.')
}
