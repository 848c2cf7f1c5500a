#!/usr/bin/env node
// Installed entry point: runs the compiled CLI (npm run build). From a checkout, use `npm run idgraph -- …`.
import { run } from '../dist/src/cli/main.js';

await run();
