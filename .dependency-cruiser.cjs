// The layering, checked by `npm test` (scripts/test.ts runs `depcruise` with
// this file): page/route -> action or handler -> domain service -> gateways.
// A rule here is a decision about the architecture, not a lint preference:
// change it with the README's architecture section.
const { existsSync } = require("node:fs");
const path = require("node:path");

// Where the application's own code lives (as opposed to its test and tooling code).
const APP_CODE = "^(app|lib|cli|proxy\\.ts)";
// Code that may reach into the sandbox: the sandbox itself and what drives or measures it.
const MAY_USE_SANDBOX = "^(sandbox|tests|e2e|bench|scripts)/";

/** A forbidden dependency: every rule here is an error. */
const rule = (name, comment, from, to, more = {}) => ({ name, comment, severity: "error", from, to, ...more });

// Files of lib that import the composition root (lib/runtime.ts) although lib/runtime.ts
// builds on their folders: each is a cycle through the lib/ root that the folder rule
// cannot see (dependency-cruiser's folder "lib" holds every lib folder, so lib/x -> lib/runtime.ts
// -> lib/x is not a cycle between folders to it). Known exceptions, as of issue 9: each one
// is a process-bound accessor (the process's config, database, OIDC discovery cache) or a read
// model / app-deps module that takes its services from the runtime. Move them up (to
// lib/api, lib/actions or app/, which take their services from the runtime by design) rather
// than add to this list.
const RUNTIME_IMPORT_EXCEPTIONS = [
  "lib/auth/oidc.ts",
  "lib/cluster-access/queries.ts",
  "lib/config/index.ts",
  "lib/db/index.ts",
  "lib/inventory/scan/app-deps.ts",
  "lib/requests/queries.ts",
  "lib/requests/service.ts",
  "lib/stale-pods/app-deps.ts",
  "lib/templates/page-view.ts",
  "lib/tightening/queries.ts",
];
const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const forbidden = [
  rule("lib-imports-app", "lib/ is below app/: a domain or gateway module never imports a page, route or component.", { path: "^lib/" }, { path: "^app/" }),
  rule("aws-sdk-outside-lib-aws", "Only lib/aws talks to AWS: everything else goes through its gateways.", { path: APP_CODE, pathNot: "^lib/aws/" }, { path: "node_modules/@aws-sdk/" }),
  rule(
    "kube-client-outside-lib-kube",
    "Only lib/kube talks to Kubernetes: everything else goes through its gateway.",
    { path: APP_CODE, pathNot: "^lib/kube/" },
    { path: "node_modules/@kubernetes/client-node/" },
  ),
  rule("sandbox-outside-tests-and-tools", "The app reaches the sandbox only by configuration (an endpoint), never by import.", { pathNot: MAY_USE_SANDBOX }, { path: "^sandbox/" }),
  rule(
    "cycle-between-lib-folders",
    "Folders of lib depend on each other one way: a cycle means one of them is in the wrong place.",
    { path: "^lib/" },
    { path: "^lib/", circular: true },
    { scope: "folder" },
  ),
  rule(
    "app-imports-prisma-client",
    "Pages and routes read through domain query modules (lib/<domain>/queries.ts) and change through operations: app/ never imports the database (lib/db) or the Prisma client, not even its types.",
    { path: "^app/" },
    { path: "^(lib/db/|node_modules/@prisma/)" },
  ),
  rule(
    "lib-imports-lib-actions",
    "lib/actions is the server-action face of the operations (for app/): no other lib folder imports it (domain errors live in lib/core).",
    { path: "^lib/", pathNot: "^lib/actions/" },
    { path: "^lib/actions/" },
  ),
  rule(
    "domain-imports-runtime",
    "lib/runtime.ts is the composition root: it imports the domain folders, so a domain folder importing it back is a cycle the folder rule cannot see. " +
      "lib/api and lib/actions (the operations' faces, above the domain) take their services from it; the known exceptions are listed in RUNTIME_IMPORT_EXCEPTIONS.",
    { path: "^lib/[^/]+/", pathNot: `^(lib/(api|actions)/|(${RUNTIME_IMPORT_EXCEPTIONS.map(escapeRegExp).join("|")})$)` },
    { path: "^lib/runtime\\.ts$" },
  ),
  rule(
    "runtime-reaches-operation-faces",
    "The composition root never reaches lib/api or lib/actions (which import it): that would be a cycle through the lib/ root.",
    { path: "^lib/(runtime|boot)\\.ts$" },
    { path: "^(lib/(api|actions)/|app/)", reachable: true },
  ),
];

// lib/requests has a public face (index.ts): once it exists, the other domain
// folders import lib/requests only through it (its internals may change freely).
if (existsSync(path.join(__dirname, "lib/requests/index.ts"))) {
  forbidden.push(
    rule(
      "requests-internals-from-outside",
      "Import lib/requests through @/lib/requests (its index), or its read side @/lib/requests/queries (server-only: kept out of the index so scripts can import the index), not its internal files.",
      { path: "^lib/", pathNot: "^lib/requests/" },
      { path: "^lib/requests/", pathNot: "^lib/requests/(index|queries)\\.ts$" },
    ),
  );
}

module.exports = {
  forbidden,
  options: {
    // The generated Prisma client is a leaf: shown (so app-imports-prisma-client can see imports of it), never followed.
    doNotFollow: { path: ["node_modules", "^lib/db/generated/"] },
    exclude: { path: "^\\.next/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
