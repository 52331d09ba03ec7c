// A role's page address and back: no server-only import, so the benchmarks (plain Node) can build it too.

/** /roles/<account>/<path...>/<name>: the role ARN in URL segments. */
export function roleHref(arn: string): string {
  const m = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(.+)$/.exec(arn);
  return m?.[1] && m[2] ? `/roles/${m[1]}/${m[2].split("/").map(encodeURIComponent).join("/")}` : `/roles?q=${encodeURIComponent(arn)}`;
}

export function roleArnFromSegments(segments: string[]): string | null {
  const [account, ...rest] = segments.map((s) => decodeURIComponent(s));
  return /^\d{12}$/.test(account ?? "") && rest.length > 0 ? `arn:aws:iam::${account}:role/${rest.join("/")}` : null;
}
