import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { FIXTURES, synthStack, type Synthesized } from './support/synth.ts';

// Nothing in the stack depends on the number of feeds (docs/deploy.md, "How it behaves"): a config
// of 10,000 feeds synthesizes the same resources, with the same properties, as one of 10. Only the
// bundled config.json (the seed the dispatcher reads) grows; the template does not.

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

let dir: string;
let small: Synthesized;
let large: Synthesized;

/** The fixture's config with `count` generated feeds. */
function configWith(count: number): string {
  const base = parse(readFileSync(join(FIXTURES, 'newshound.yaml'), 'utf8')) as Record<string, unknown>;
  const file = join(dir, `feeds-${count}.yaml`);
  writeFileSync(file, stringify({ ...base, feeds: Array.from({ length: count }, (_, i) => ({ url: `https://feeds${i % 97}.example.org/${i}.xml` })) }));
  return file;
}

/** The template's resources with each function's code location taken out (it names the bundle). */
function resourcesOf(s: Synthesized): Resources {
  const resources = structuredClone(s.template.toJSON().Resources) as Resources;
  for (const resource of Object.values(resources)) {
    if (resource.Type === 'AWS::Lambda::Function') delete resource.Properties?.Code;
  }
  return resources;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'newshound-feed-count-'));
  small = synthStack({ configPath: configWith(10), bundle: false });
  large = synthStack({ configPath: configWith(10_000), bundle: false });
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a stack of 10,000 feeds', () => {
  it('synthesizes, holding all 10,000 feeds in the config it bundles', () => {
    expect(large.stack.config.feeds).toHaveLength(10_000);
  });

  it('has the same resources, one for one, as a stack of 10 feeds', () => {
    const [a, b] = [resourcesOf(small), resourcesOf(large)];
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    expect(b).toEqual(a);
  });

  it('has a template of the same size, within a few bytes', () => {
    const size = (s: Synthesized) => JSON.stringify(s.template.toJSON()).length;
    expect(Math.abs(size(large) - size(small))).toBeLessThan(200);
  });

  it('gives the worker the same timeout and the queue the same visibility, derived from one batch', () => {
    expect(large.stack.workerFunction.timeout?.toSeconds()).toBe(small.stack.workerFunction.timeout?.toSeconds());
    expect(large.stack.workerFunction.timeout?.toSeconds()).toBe(10 * 12 + 60);
  });
});
