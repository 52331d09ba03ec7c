// The core every domain folder builds on: typed domain errors, the one mutation
// pipeline and its HTTP adapter. Domain code imports from here, never from
// lib/actions or app/.
export { DomainError, HTTP_STATUS, type ErrorCode, type ActionResult } from "./errors";
