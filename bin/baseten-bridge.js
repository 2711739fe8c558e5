#!/usr/bin/env node
// Entry point installed as `baseten-bridge`. The TypeScript is compiled to dist/ by `npm run build`
// (run automatically by `npm ci` through the `prepare` script).
import { main } from '../dist/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // A failed start exits now, whatever it left behind (a timer, a socket): a restart policy must see it.
    if (code !== 0) process.exit(code);
  },
  (err) => {
    console.error(`baseten-bridge: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
