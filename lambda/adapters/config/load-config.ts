import { readFileSync } from 'node:fs';
import { ConfigError } from '../../core/config/config-error.ts';
import { parseConfig } from '../../core/config/parse-config.ts';
import type { Config } from '../../core/config/schema.ts';

/** Reads, parses and validates a config file; every failure is a ConfigError naming the file. */
export function loadConfigFile(path: string): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message;
    throw new ConfigError(path, [reason]);
  }
  return parseConfig(text, path);
}
