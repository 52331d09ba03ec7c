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

const forbidden = [
  {
    name: "lib-imports-app",
    comment: "lib/ is below app/: a domain or gateway module never imports a page, route or component.",
    severity: "error",
    from: { path: "^lib/" },
    to: { path: "^app/" },
  },
  {
    name: "app-imports-db",
    comment: "Pages and routes read through lib/<domain>/queries.ts and write through operations: app/ never holds the Prisma client.",
    severity: "error",
    from: { path: "^app/" },
    to: { path: "^lib/db/|node_modules/@prisma/" },
  },
  {
    name: "aws-sdk-outside-lib-aws",
    comment: "Only lib/aws talks to AWS: everything else goes through its gateways.",
    severity: "error",
    from: { path: APP_CODE, pathNot: "^lib/aws/" },
    to: { path: "node_modules/@aws-sdk/" },
  },
  {
    name: "kube-client-outside-lib-kube",
    comment: "Only lib/kube talks to Kubernetes: everything else goes through its gateway.",
    severity: "error",
    from: { path: APP_CODE, pathNot: "^lib/kube/" },
    to: { path: "node_modules/@kubernetes/client-node/" },
  },
  {
    name: "sandbox-outside-tests-and-tools",
    comment: "The app reaches the sandbox only by configuration (an endpoint), never by import.",
    severity: "error",
    from: { pathNot: MAY_USE_SANDBOX },
    to: { path: "^sandbox/" },
  },
  {
    name: "cycle-between-lib-folders",
    comment: "Folders of lib depend on each other one way: a cycle means one of them is in the wrong place.",
    severity: "error",
    scope: "folder",
    from: { path: "^lib/" },
    to: { path: "^lib/", circular: true },
  },
];

// lib/requests has a public face (index.ts): once it exists, the other domain
// folders import lib/requests only through it (its internals may change freely).
if (existsSync(path.join(__dirname, "lib/requests/index.ts"))) {
  forbidden.push({
    name: "requests-internals-from-outside",
    comment: "Import lib/requests through @/lib/requests (its index), or its read side @/lib/requests/queries (server-only: kept out of the index so scripts can import the index), not its internal files.",
    severity: "error",
    from: { path: "^lib/", pathNot: "^lib/requests/" },
    to: { path: "^lib/requests/", pathNot: "^lib/requests/(index|queries)\\.ts$" },
  });
}

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(\\.next|lib/db/generated)/" },
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
