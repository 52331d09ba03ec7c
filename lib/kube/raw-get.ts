// One GET on a cluster's API server answered as plain JSON. Lists of pods and
// service accounts are most of a scan's Kubernetes reads, and client-node's
// typed API turns every item into class instances through its ObjectSerializer
// (walking the OpenAPI model of each nested field, dates made Date objects):
// at 1,000 pods per cluster that was 7-8% of a scanning replica's CPU and much
// of its garbage. The scanner keeps a few fields of each item, so it reads the
// answer as JSON. Authentication, TLS and proxies are still the KubeConfig's
// own (applyToHTTPSOptions, as client-node applies them to each call).
import http from "node:http";
import https from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";
import { KubeCallError } from "./types";

/** Reads the whole answer; a Kubernetes Status body gives the error's message. */
function answer(res: http.IncomingMessage, operation: string, cluster: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on("data", (c: Buffer) => chunks.push(c));
    res.once("error", (e) => reject(new KubeCallError(operation, cluster, undefined, e.message)));
    res.once("end", () => {
      const text = chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8");
      const status = res.statusCode ?? 0;
      if (status >= 200 && status < 300) {
        try {
          resolve(JSON.parse(text));
        } catch {
          reject(new KubeCallError(operation, cluster, undefined, "the API server's answer is not JSON"));
        }
        return;
      }
      let message = text || res.statusMessage || "no message";
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? message;
      } catch {
        /* not a Status object */
      }
      reject(new KubeCallError(operation, cluster, status, message));
    });
  });
}

/** GET `path` (with its query) on the KubeConfig's current cluster; the parsed JSON of a 2xx, else KubeCallError. */
export async function getJson(kc: KubeConfig, path: string, operation: string, cluster: string): Promise<unknown> {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new KubeCallError(operation, cluster, undefined, "the kubeconfig names no server");
  const url = new URL(server);
  const options: https.RequestOptions = {};
  try {
    await kc.applyToHTTPSOptions(options);
  } catch (e) {
    throw new KubeCallError(operation, cluster, undefined, (e as Error).message);
  }
  const request = url.protocol === "https:" ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        ...options,
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port ? { port: Number(url.port) } : {}),
        // A server URL may carry a path (an API proxy in front of the cluster).
        path: url.pathname.replace(/\/$/, "") + path,
        method: "GET",
        headers: { ...(options.headers ?? {}), accept: "application/json" },
      },
      (res) => answer(res, operation, cluster).then(resolve, reject),
    );
    req.once("error", (e) => reject(new KubeCallError(operation, cluster, undefined, e.message)));
    req.end();
  });
}
