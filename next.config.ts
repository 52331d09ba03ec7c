import type { NextConfig } from "next";

const securityHeaders = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  // Content-Security-Policy is set per request (with a nonce) in proxy.ts.
  ...(process.env.ROLEGATE_PUBLIC_URL?.startsWith("https://") ? [{ key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" }] : []),
];

/** Server actions accept the public host besides Host (e.g. behind a proxy that rewrites Host). */
const publicHost = process.env.ROLEGATE_PUBLIC_URL ? new URL(process.env.ROLEGATE_PUBLIC_URL).host : undefined;

const nextConfig: NextConfig = {
  // A self-contained server (.next/standalone) with only the files it needs: the container image ships that (Dockerfile).
  output: "standalone",
  // No next/image optimisation here: keep sharp's native libraries (about 20 MB) out of the image.
  outputFileTracingExcludes: { "*": ["node_modules/@img/**", "node_modules/sharp/**"] },
  // Native/wasm database drivers and the SDKs load files at run time: keep them out of the bundle.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "pg", "@prisma/adapter-pg", "@kubernetes/client-node"],
  poweredByHeader: false,
  // `npm test` type-checks the whole project with tsc; the build need not do it again.
  typescript: { ignoreBuildErrors: true },
  typedRoutes: false,
  experimental: {
    serverActions: {
      allowedOrigins: publicHost ? [publicHost] : [],
      // The same cap as every /api/v1 JSON body (MAX_BODY_BYTES in lib/core/read-body.ts; a test keeps them equal):
      // Next's default is 1 MB, four times what any form of RoleGate sends, read and parsed before the action runs.
      bodySizeLimit: "256kb",
    },
  },
  // The icon is app/icon.svg (Next's metadata file); browsers and tools that ask for /favicon.ico get it too.
  async redirects() {
    return [{ source: "/favicon.ico", destination: "/icon.svg", permanent: true }];
  },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
