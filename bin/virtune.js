#!/usr/bin/env node
// The command line lives in dist/ (built by `npm ci` through the prepare script, or `npm run build`). This is its
// bundle (scripts/bundle-cli.mjs): the common path in one file rather than ~36 modules, for a faster cold start.
import module from 'node:module';

// Node 22.1+ keeps V8's compiled code of the bundle between runs (a no-op where Node lacks it, as on Node 20). It
// must be on before the bundle loads, hence the dynamic import below.
module.enableCompileCache?.();
const { main } = await import('../dist/cli-bundle/main.js');

// `virtune help | head -1`: a closed pipe ends the output, not the process with a stack trace.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  // A bug, not a libvirt error (those are reported by the commands): say it virsh's way, keep the stack for debugging.
  process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
  if (process.env.VIRTUNE_DEBUG) process.stderr.write(`${e instanceof Error ? e.stack : ''}\n`);
  process.exitCode = 1;
}
