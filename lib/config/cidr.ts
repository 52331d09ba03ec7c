// IP addresses and CIDR blocks for ROLEGATE_TRUSTED_PROXIES, checked with
// Node's own BlockList (no hand-written bit arithmetic).
import { BlockList, isIP } from "node:net";

export interface Cidr {
  address: string;
  prefix: number;
  family: "ipv4" | "ipv6";
}

/** "10.0.0.0/8", "192.168.1.10", "fd00::/8", "::1" -> the block, or null when it is not one. */
export function parseCidr(text: string): Cidr | null {
  const [address, bits, ...rest] = text.trim().split("/");
  if (!address || rest.length) return null;
  const version = isIP(address);
  if (!version) return null;
  const max = version === 4 ? 32 : 128;
  const prefix = bits === undefined ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return null;
  return { address, prefix, family: version === 4 ? "ipv4" : "ipv6" };
}

/** IPv4-mapped IPv6 ("::ffff:10.0.0.1", as Node reports IPv4 peers on dual-stack sockets) -> "10.0.0.1". */
export function normaliseIp(ip: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip.trim());
  return m ? m[1]! : ip.trim();
}

/** A matcher for a list of IPs/CIDRs; invalid entries are ignored (lib/config refuses them at start-up). */
export function ipMatcher(entries: readonly string[]): (ip: string) => boolean {
  const list = new BlockList();
  for (const c of entries.map(parseCidr)) if (c) list.addSubnet(c.address, c.prefix, c.family);
  return (ip) => {
    const addr = normaliseIp(ip);
    const version = isIP(addr);
    return version !== 0 && list.check(addr, version === 4 ? "ipv4" : "ipv6");
  };
}
