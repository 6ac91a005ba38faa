#!/usr/bin/env node
// Runs the TypeScript CLI directly (tsx), so `npx newshound` works right after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../lambda/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
