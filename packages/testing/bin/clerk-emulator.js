#!/usr/bin/env node
// The `clerk-emulator` command: runs the built CLI (dist/bin/emulator.js, from src/bin/emulator.ts). This file sits
// outside dist/ so that the workspace can link the command before anything is built; in the repository,
// `pnpm emulator` runs the same CLI from source.
import "../dist/bin/emulator.js";
