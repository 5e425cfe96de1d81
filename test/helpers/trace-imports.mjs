// Loaded with `node --import`: records every module URL the process resolves into $ECSOPS_TRACE_IMPORTS,
// so tests and the start-up benchmark can prove which packages a command loads.
import {register} from 'node:module'

register(new URL('./trace-imports-hooks.mjs', import.meta.url), {data: {file: process.env.ECSOPS_TRACE_IMPORTS}})
