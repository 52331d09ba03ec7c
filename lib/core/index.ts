// The core every domain folder builds on: typed domain errors. The one pipeline
// (./pipeline), the operation spec (./operation) and its HTTP face (./http) are
// server-only and imported by path. Domain code imports from here, never from
// lib/actions, lib/api or app/.
export { DomainError, HTTP_STATUS, type ErrorCode, type ActionResult } from "./errors";
