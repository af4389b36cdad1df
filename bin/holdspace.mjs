#!/usr/bin/env node
// The `holdspace` command: runs the TypeScript CLI through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/holdspace.ts');
