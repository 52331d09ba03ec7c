import { loadConfig } from "./load";
import type { AppConfig } from "./schema";

export { ConfigError } from "./schema";
export type { AppConfig, Target } from "./schema";
export { loadConfig } from "./load";

const KEY = Symbol.for("rolegate.config");

/** The process's configuration, validated once. */
export function getConfig(): AppConfig {
  const holder = globalThis as { [KEY]?: AppConfig };
  holder[KEY] ??= loadConfig();
  return holder[KEY];
}
