#!/usr/bin/env node
// Committed so that the bin link exists on a fresh clone before the build; the CLI itself is built by `prepare`.
import '../dist/cli.js';
