import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from './config-error.ts';
import { configSchema, type Config } from './schema.ts';

/** Renders a zod issue path the way a user finds it in YAML: `subscribers[0].topics[1]`. */
function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(top level)';
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((k) => `${where === '(top level)' ? k : `${where}.${k}`}: unknown key (typo?)`).join('\n');
  }
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) {
    return `${where}: required`;
  }
  return `${where}: ${issue.message}`;
}

/**
 * Parses and validates configuration text. Pure: the caller reads the file. Query compilation is a
 * separate step (compileConfigTopics) so that this stays independent of the matcher.
 */
export function parseConfig(text: string, file: string): Config {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(file, doc.errors.map((e) => `YAML: ${e.message.split('\n')[0]}`));
  }
  const result = configSchema.safeParse(doc.toJS() ?? {});
  if (!result.success) {
    throw new ConfigError(file, result.error.issues.flatMap((i) => describeIssue(i).split('\n')));
  }
  return result.data;
}
