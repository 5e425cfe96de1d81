// Removes build output before a build, so a deleted command never survives in dist/ or in the manifest.
import {rmSync} from 'node:fs'

for (const path of ['dist', 'oclif.manifest.json']) rmSync(new URL(`../${path}`, import.meta.url), {force: true, recursive: true})
