#!/usr/bin/env node
// Entry point. Imports nothing heavy: oclif reads oclif.manifest.json and loads only the command that runs.
import {execute} from '@oclif/core'

await execute({dir: import.meta.url})
