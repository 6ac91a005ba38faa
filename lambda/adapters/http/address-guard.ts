import { BlockList, isIP } from 'node:net';

/**
 * Every range that is not ordinary public unicast (IANA special-purpose registries), so a feed URL
 * or a redirect cannot make us reach the metadata service, the VPC or the host itself.
 */
const NON_PUBLIC_V4: Array<[string, number, string]> = [
  ['0.0.0.0', 8, 'unspecified ("this network")'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, '6to4 relay'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved or broadcast'],
];

const NON_PUBLIC_V6: Array<[string, number, string]> = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['::', 96, 'IPv4-compatible (deprecated)'],
  ['64:ff9b:1::', 48, 'local-use NAT64'],
  ['100::', 64, 'discard-only'],
  ['2001::', 23, 'IETF protocol assignments'],
  ['2001:db8::', 32, 'documentation'],
  ['2002::', 16, '6to4'],
  ['fc00::', 7, 'unique local'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local (deprecated)'],
  ['ff00::', 8, 'multicast'],
];

const lists = new Map<string, BlockList>();
for (const [net, prefix, reason] of NON_PUBLIC_V4) listFor(reason).addSubnet(net, prefix, 'ipv4');
for (const [net, prefix, reason] of NON_PUBLIC_V6) listFor(reason).addSubnet(net, prefix, 'ipv6');

function listFor(reason: string): BlockList {
  let list = lists.get(reason);
  if (!list) {
    list = new BlockList();
    lists.set(reason, list);
  }
  return list;
}

/** The 8 hextets of an IPv6 address (no zone), or undefined if it is not one. */
function hextets(ip: string): number[] | undefined {
  let text = ip;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const [a = 0, b = 0, c = 0, d = 0] = dotted[1].split('.').map(Number);
    text = `${text.slice(0, -dotted[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...Array<string>(Math.max(fill, 0)).fill('0'), ...right].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => g >= 0 && g <= 0xffff) ? groups : undefined;
}

/**
 * Why an IP address is not public, or undefined when it is. IPv4 embedded in IPv6 (mapped
 * `::ffff:a.b.c.d`, NAT64 `64:ff9b::/96`) is judged by the IPv4 address it carries.
 */
export function nonPublicReason(address: string): string | undefined {
  const ip = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(ip);
  if (family === 0) return 'not an IP address';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (type === 'ipv6') {
    const h = hextets(ip);
    if (!h) return 'not an IP address';
    const [h0, h1, h2, h3, h4, h5, h6 = 0, h7 = 0] = h;
    const mapped = h0 === 0 && h1 === 0 && h2 === 0 && h3 === 0 && h4 === 0 && h5 === 0xffff;
    const nat64 = h0 === 0x64 && h1 === 0xff9b && h2 === 0 && h3 === 0 && h4 === 0 && h5 === 0;
    if (mapped || nat64) {
      return nonPublicReason(`${h6 >> 8}.${h6 & 0xff}.${h7 >> 8}.${h7 & 0xff}`);
    }
  }
  for (const [reason, list] of lists) {
    if (list.check(ip, type)) return reason;
  }
  return undefined;
}

/** Raised from the DNS hook or the literal check; the fetcher maps it to `blocked-address`. */
export class BlockedAddressError extends Error {
  override readonly name = 'BlockedAddressError';
  constructor(
    readonly host: string,
    readonly address: string,
    readonly reason: string,
  ) {
    super(`${host} resolves to ${address} (${reason}); set fetch.allowPrivateNetworks to allow it`);
  }
}

/** The per-request address policy: public addresses always; others only when allowed. */
export interface AddressPolicy {
  allowPrivateNetworks: boolean;
  /** Exact addresses let through even when private (tests use it for their 127.0.0.1 server). */
  allowAddresses: ReadonlySet<string>;
}

export function checkAddress(host: string, address: string, policy: AddressPolicy): void {
  if (policy.allowPrivateNetworks || policy.allowAddresses.has(address)) return;
  const reason = nonPublicReason(address);
  if (reason !== undefined) throw new BlockedAddressError(host, address, reason);
}
