import "server-only";
// Every operation, for the OpenAPI document and the tests that check each
// mutation is audited. A new operation file is added here.
import type { AnyOperation } from "@/lib/core/operation";
import * as audit from "./audit";
import * as auth from "./auth";
import * as inventory from "./inventory";
import * as lifecycle from "./lifecycle";
import * as lifecycleViews from "./lifecycle-views";
import * as policies from "./policies";
import * as requests from "./requests";
import * as reviews from "./reviews";
import * as templates from "./templates";

export const OPERATIONS: readonly AnyOperation[] = [audit, auth, inventory, lifecycle, lifecycleViews, policies, requests, reviews, templates].flatMap((m) => Object.values(m) as AnyOperation[]);
