import { runtime } from "@/lib/runtime";
import type { AppConfig } from "./schema";

export { ConfigError } from "./schema";
export type { AppConfig, Target } from "./schema";
export { loadConfig } from "./load";

/** The process's configuration, validated once (by its runtime, lib/runtime.ts). */
export function getConfig(): AppConfig {
  return runtime().config;
}
