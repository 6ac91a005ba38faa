#!/usr/bin/env node
// Runs the TypeScript CLI directly (tsx), so `npx newshound` works right after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

// The AWS SDK warns on every Node 20 start that its 2027 releases need Node 22; the CLI is tested on
// both, so the notice is noise in every run summary. Set the variable to "false" to see it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
// `newshound feeds | head` closes the pipe early: stop quietly, as grep and friends do.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
const { main } = await import('../lambda/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
