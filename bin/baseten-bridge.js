#!/usr/bin/env node
// Entry point installed as `baseten-bridge`. The TypeScript is compiled to dist/ by `npm run build`
// (run automatically by `npm ci` through the `prepare` script).
import { main } from '../dist/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(`baseten-bridge: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
