import {describe, expect, it} from 'vitest'

import {cleanEnv, runCli} from '../helpers/cli.js'

describe('-h is --help (package.json oclif.additionalHelpFlags)', () => {
  it('at the root', async () => {
    const [short, long] = await Promise.all([runCli(['-h']), runCli(['--help'])])
    expect(short.code).toBe(0)
    expect(short.stderr).toBe('')
    expect(short.stdout).toBe(long.stdout)
    expect(short.stdout).toContain('USAGE')
  })

  it('on a command, served from the help cache and rendered live alike', async () => {
    const live = cleanEnv({ECSOPS_HELP_CACHE: 'off'})
    const [short, long, shortLive] = await Promise.all([runCli(['config', '-h']), runCli(['config', '--help']), runCli(['config', '-h'], {env: live})])
    for (const r of [short, shortLive]) {
      expect(r.code).toBe(0)
      expect(r.stderr).toBe('')
      expect(r.stdout).toBe(long.stdout)
    }
  })

  it('after other flags and on a topic', async () => {
    const [withFlags, topic, topicLong, subcommand] = await Promise.all([runCli(['migrate', '--cluster', 'x', '-h']), runCli(['exec', '-h']), runCli(['exec', '--help']), runCli(['exec', 'check', '-h'])])
    expect(withFlags.code).toBe(0)
    expect(withFlags.stdout).toContain('USAGE\n  $ ecsops migrate')
    expect(topic.code).toBe(0)
    expect(topic.stdout).toBe(topicLong.stdout)
    expect(subcommand.code).toBe(0)
    expect(subcommand.stdout).toContain('USAGE\n  $ ecsops exec check')
  })
})
