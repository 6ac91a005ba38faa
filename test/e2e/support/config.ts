import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

/** Writes a newshound.yaml for a test; local feed servers need allowPrivateNetworks. */
export function writeConfig(path: string, config: Record<string, unknown>): string {
  const withFetch = { ...config, fetch: { allowPrivateNetworks: true, timeoutSeconds: 5, ...(config.fetch as object | undefined) } };
  writeFileSync(path, stringify(withFetch));
  return path;
}
