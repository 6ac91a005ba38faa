import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../lambda/core/config/config-error.ts';
import { loadConfigFile } from '../../lambda/adapters/config/load-config.ts';
import { bareAddress, resolveSender, SenderError } from '../../lib/sender.ts';
import { workerTimeoutSeconds } from '../../lib/worker-sizing.ts';
import { FIXTURES, synthStack } from './support/synth.ts';

// Synth inputs: the config file, the deploy context. Syntheses here skip bundling (template only).

describe('a bad configuration stops synth with the CLI\'s message', () => {
  it('names the file and the misspelled field', () => {
    // Act
    const synth = () => synthStack({ configPath: join(FIXTURES, 'bad-key.yaml'), bundle: false });
    // Assess
    expect(synth).toThrow(ConfigError);
    expect(synth).toThrow(/bad-key\.yaml: invalid configuration\n\s+- fetch\.timeoutSecs: unknown key/);
  });

  it('names the topic whose query does not parse', () => {
    expect(() => synthStack({ configPath: join(FIXTURES, 'bad-query.yaml'), bundle: false })).toThrow(
      /bad-query\.yaml: invalid configuration\n\s+- topics\[0\]\.query \(topic "broken"\)/,
    );
  });

  it('says the file is missing', () => {
    expect(() => synthStack({ configPath: join(FIXTURES, 'nope.yaml'), bundle: false })).toThrow(/nope\.yaml: invalid configuration\n\s+- file not found/);
  });

  it('refuses a sender email that is not the From address', () => {
    expect(() => synthStack({ senderEmail: 'other@example.org', bundle: false })).toThrow(
      /senderEmail "other@example\.org" differs from mail\.from address "alerts@example\.org"/,
    );
  });
});

describe('deploy context', () => {
  it('creates an email identity and allows sending as that identity alone', () => {
    // Act
    const { template } = synthStack({ senderEmail: 'Alerts@example.org', bundle: false });
    // Assess
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'alerts@example.org' });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'ses:SendRawEmail',
            Resource: [
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ses:eu-west-1:123456789012:identity/alerts@example.org']] },
              Match.anyValue(),
            ],
          }),
        ]),
      },
    });
  });

  it('without a sender context creates no identity and subscribes no alarm email', () => {
    // Act
    const { template } = synthStack({ bundle: false });
    // Assess
    template.resourceCountIs('AWS::SES::EmailIdentity', 0);
    template.resourcePropertiesCountIs('AWS::SNS::Subscription', { Protocol: 'email' }, 0);
  });

  it('takes the worker batch size and concurrency from the context, and sizes the timeout and visibility from the batch', () => {
    // Act
    const { stack, template } = synthStack({ workerBatchSize: 4, workerMaxConcurrency: 50, bundle: false });
    // Assess: 4 jobs × 12 s + 60 s = 108 s; the queue hides a received job for 6 × 108 s.
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: 4, ScalingConfig: { MaximumConcurrency: 50 } });
    template.hasResourceProperties('AWS::Lambda::Function', { Description: Match.stringLikeRegexp('^Newshound worker'), Timeout: 108 });
    template.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 6 * 108, RedrivePolicy: Match.anyValue() });
    expect(stack.workerFunction.timeout?.toSeconds()).toBe(108);
  });
});

describe('worker sizing', () => {
  const config = loadConfigFile(join(FIXTURES, 'newshound.yaml'));
  const withDeadline = (timeoutSeconds: number, feeds = config.feeds.length) => ({
    ...config,
    feeds: Array.from({ length: feeds }, (_, i) => ({ url: `https://example.org/${i}` })),
    fetch: { ...config.fetch, timeoutSeconds },
  });

  it('allows one deadline per job of the batch plus a minute for the writes', () => {
    expect(workerTimeoutSeconds(withDeadline(10), 10)).toBe(10 * 10 + 60);
  });

  it('does not depend on the number of feeds', () => {
    expect(workerTimeoutSeconds(withDeadline(10, 10_000), 10)).toBe(workerTimeoutSeconds(withDeadline(10, 1), 10));
  });

  it('rounds up to whole seconds and never asks for more than Lambda\'s 15 minutes', () => {
    expect(workerTimeoutSeconds(withDeadline(0.5), 1)).toBe(61);
    expect(workerTimeoutSeconds(withDeadline(120), 10)).toBe(900);
  });
});

describe('sender', () => {
  it('takes the address out of a display-name From', () => {
    expect(bareAddress('Newshound Alerts <Alerts@Example.com>')).toBe('alerts@example.com');
    expect(bareAddress('alerts@example.com')).toBe('alerts@example.com');
    expect(() => bareAddress('Newshound')).toThrow(SenderError);
  });

  it('allows the address and its domain when the identity already exists', () => {
    expect(resolveSender('A <a@example.com>', {})).toEqual({ fromAddress: 'a@example.com', identities: ['a@example.com', 'example.com'] });
  });

  it('refuses a sender domain that is not the From domain', () => {
    expect(() => resolveSender('a@example.com', { senderDomain: 'example.net' })).toThrow(/not the domain of mail\.from/);
  });
});

describe('cdk-nag check', () => {
  it('does flag what is not acknowledged (the stack test\'s clean report means something)', () => {
    // Prepare
    const app = new App();
    const stack = new Stack(app, 'Plain');
    new sqs.Queue(stack, 'Unencrypted', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    // Act
    const report = new AwsSolutionsChecks(app).validateScope(stack);
    // Assess
    expect(report.violations.map((v) => v.ruleName)).toEqual(expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4']));
  });
});
