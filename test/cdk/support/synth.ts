import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { NewshoundStack, type NewshoundStackProps } from '../../../lib/newshound-stack.ts';

export const FIXTURES = resolve(import.meta.dirname, '../fixtures');
const TEST_ENV = { account: '123456789012', region: 'eu-west-1' };

export interface Synthesized {
  app: App;
  stack: NewshoundStack;
  template: Template;
  outdir: string;
}

/**
 * One stack in a fresh app writing to a temporary cloud assembly. `bundle: false` skips esbuild
 * (the assets are placeholders), for tests that only look at the template.
 */
export function synthStack(props: Partial<NewshoundStackProps> & { bundle?: boolean } = {}): Synthesized {
  const { bundle = true, ...stackProps } = props;
  const outdir = mkdtempSync(join(tmpdir(), 'newshound-cdk-'));
  const app = new App({ outdir, context: bundle ? {} : { 'aws:cdk:bundling-stacks': [] } });
  const stack = new NewshoundStack(app, 'NewshoundTest', {
    configPath: join(FIXTURES, 'newshound.yaml'),
    env: TEST_ENV,
    ...stackProps,
  });
  return { app, stack, template: Template.fromStack(stack), outdir };
}

/** The logical id of a construct's CloudFormation resource, for Ref / GetAtt assertions. */
export function logicalId(stack: NewshoundStack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as never);
}
