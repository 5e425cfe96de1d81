import {z} from 'zod'

/** `30m`, `90s`, `1h30m`, `45` (seconds). */
export const DURATION = /^(\d+h)?(\d+m)?(\d+s)?$|^\d+$/

const nonEmpty = z.string().min(1, 'expected a non-empty string')

export const migrateSchema = z
  .object({
    command: z.array(z.string(), {error: 'expected a list of strings, e.g. ["php", "artisan", "migrate", "--force"]'}).min(1).optional(),
    envVars: z.record(z.string(), z.string(), {error: 'expected a map of NAME: "value" strings'}).optional(),
    timeout: z.string().regex(DURATION, 'expected a duration such as "30m", "90s" or "1h"').optional(),
    container: nonEmpty.optional(),
    /** Run `ecsops preflight`'s checks before RunTask (`migrate --preflight`). */
    preflight: z.boolean({error: 'expected true or false'}).optional(),
  })
  .strict()

export const execSchema = z
  .object({
    container: nonEmpty.optional(),
    command: nonEmpty.optional(),
  })
  .strict()

/** What one environment (or the file's top level, as defaults) may set. */
export const environmentSchema = z
  .object({
    profile: nonEmpty.optional(),
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'expected an AWS region such as "eu-west-1"').optional(),
    cluster: nonEmpty.optional(),
    service: nonEmpty.optional(),
    container: nonEmpty.optional(),
    migrate: migrateSchema.optional(),
    exec: execSchema.optional(),
  })
  .strict()

export const configFileSchema = environmentSchema
  .extend({
    $schema: z.string().optional(),
    environments: z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/, 'expected an environment name of letters, digits, ".", "_" or "-"'), environmentSchema).optional(),
  })
  .strict()

export type EnvironmentConfig = z.infer<typeof environmentSchema>
export type ConfigFile = z.infer<typeof configFileSchema>
export type MigrateConfig = z.infer<typeof migrateSchema>
export type ExecConfig = z.infer<typeof execSchema>
