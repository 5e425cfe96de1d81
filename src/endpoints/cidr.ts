/** IPv4 CIDR arithmetic for the security-group check. Pure. */

function toNumber(ip: string): number | undefined {
  const parts = ip.split('.').map(Number)
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!
}

function parse(cidr: string): {base: number; bits: number} | undefined {
  const [ip, bitsText = '32'] = cidr.split('/')
  const base = toNumber(ip ?? '')
  const bits = Number(bitsText)
  if (base === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) return undefined
  return {base, bits}
}

const mask = (bits: number) => (bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0)

/** True when every address of `inner` is inside `outer` (10.0.0.0/16 contains 10.0.3.0/24). */
export function cidrContains(outer: string, inner: string): boolean {
  const o = parse(outer)
  const i = parse(inner)
  if (!o || !i || i.bits < o.bits) return false
  return ((o.base & mask(o.bits)) >>> 0) === ((i.base & mask(o.bits)) >>> 0)
}

/** `2001:db8::/56` → {base, bits} over 128-bit BigInt; undefined when not an IPv6 CIDR. */
function parse6(cidr: string): {base: bigint; bits: number} | undefined {
  const [ip = '', bitsText = '128'] = cidr.split('/')
  if (!ip.includes(':')) return undefined
  const halves = ip.split('::')
  if (halves.length > 2) return undefined
  const head = halves[0] ? halves[0].split(':') : []
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : []
  const groups = halves.length === 2 ? [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail] : head
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined
  const bits = Number(bitsText)
  if (!Number.isInteger(bits) || bits < 0 || bits > 128) return undefined
  return {base: groups.reduce((n, g) => (n << 16n) + BigInt(Number.parseInt(g, 16)), 0n), bits}
}

/** True when every address of the IPv6 CIDR `inner` is inside `outer` (::/0 contains everything). */
export function cidr6Contains(outer: string, inner: string): boolean {
  const o = parse6(outer)
  const i = parse6(inner)
  if (!o || !i || i.bits < o.bits) return false
  const shift = BigInt(128 - o.bits)
  return o.base >> shift === i.base >> shift
}
