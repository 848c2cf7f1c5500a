#!/usr/bin/env node
// Installed entry point: runs the compiled CLI (npm run build). From a checkout, use `npm run idgraph -- …`.
import { run } from '../dist/cli/main.js';

await run();
