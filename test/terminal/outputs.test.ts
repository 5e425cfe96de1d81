/**
 * The main text outputs as a terminal, a pipe and a file see them (issue 13): at 60, 80 and 120
 * columns, with and without colour. The file snapshots under __snapshots__/ are the reference a
 * reviewer reads; the assertions say what must hold whatever the wording.
 */
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'

import {checkEndpoints} from '../../src/endpoints/check.js'
import {checkReport} from '../../src/exec/checks.js'
import {renderCheckReport} from '../../src/exec/report.js'
import {renderFixes, renderSection} from '../../src/endpoints/render.js'
import {parseSnapshot} from '../../src/endpoints/snapshot-file.js'
import {preflightChecks, summarize} from '../../src/preflight/checks.js'
import type {PreflightReport} from '../../src/preflight/model.js'
import {renderPreflightReport} from '../../src/preflight/report.js'
import {makeColors} from '../../src/ui/output.js'
import {displayWidth} from '../../src/ui/wrap.js'
import {cleanEnv, runCli} from '../helpers/cli.js'
import {goodFacts, task} from '../exec/fixtures.js'
import {decisionsFor, healthyFacts, REGION, TD_ARN} from '../preflight/fixtures.js'

const ANSI = /\u001B\[[0-9;]*m/g // eslint-disable-line no-control-regex -- colour codes
const WIDTHS = [60, 80, 120] as const
const root = new URL('../../', import.meta.url)

/** Lines wider than `width` may only be one unbreakable word (an image URI) or a command to paste. */
function overflowing(lines: string[], width: number): string[] {
  return lines.filter((l) => displayWidth(l.replace(ANSI, '')) > width && l.trim().includes(' ') && !/^(aws|ecsops) /.test(l.replace(ANSI, '').trim()))
}

async function exampleAudit() {
  const file = new URL('examples/private-vpc-missing-ssmmessages.json', root)
  const loaded = await parseSnapshot(readFileSync(file, 'utf8'), 'example')
  const noAws = {send: async () => Promise.reject(new Error('no AWS call offline'))} as never
  return checkEndpoints({ecs: noAws, ec2: noAws, route53: noAws}, {region: loaded.audit.region, network: loaded.audit.network, offline: loaded.audit})
}

describe('check-endpoints report at each width', () => {
  it.each(WIDTHS)('%i columns: fits, colour only when asked, each fix once', async (width) => {
    const {sections} = await exampleAudit()
    for (const colour of [false, true]) {
      const paint = makeColors(colour)
      const lines = [...sections.flatMap((s) => renderSection(s, paint, width)), ...renderFixes(sections.flatMap((s) => s.findings), paint, width)]
      expect(overflowing(lines, width)).toEqual([])
      expect(lines.some((l) => ANSI.test(l))).toBe(colour)
      ANSI.lastIndex = 0
      // The ecr.dkr fix is needed by both services and printed once.
      expect(lines.filter((l) => l.replace(ANSI, '').startsWith('aws ec2 modify-vpc-endpoint'))).toHaveLength(1)
      if (!colour) await expect(lines.join('\n')).toMatchFileSnapshot(`__snapshots__/check-endpoints.${width}.txt`)
    }
  })
})

describe('preflight report at each width', () => {
  const base = healthyFacts()
  const facts = {...base, executionDecisions: {ok: true as const, value: decisionsFor(base, (a) => (a === 'secretsmanager:GetSecretValue' ? 'implicitDeny' : 'allowed'))}}
  const results = preflightChecks(facts)
  const report: PreflightReport = {ok: false, region: REGION, taskDefinitionArn: TD_ARN, source: 'service web (the revision service web runs now)', results, summary: summarize(results), notEvaluated: ['resource-based policies', 'SCPs']}

  it.each(WIDTHS)('%i columns: fits with a hanging indent, colour only when asked', async (width) => {
    for (const colour of [false, true]) {
      const lines = renderPreflightReport(report, makeColors(colour), width)
      expect(overflowing(lines, width)).toEqual([])
      // Continuation lines are indented under their result, never at column 0.
      const failing = lines.findIndex((l) => l.includes('✖ fail'))
      expect(lines[failing + 1]).toMatch(/^ {9}/)
      if (!colour) await expect(lines.join('\n')).toMatchFileSnapshot(`__snapshots__/preflight.${width}.txt`)
    }
  })
})

describe('exec check report at each width', () => {
  const facts = goodFacts()
  facts.task = {ok: true, value: task({enableExecuteCommand: false, group: 'family:web'})}
  const report = checkReport(facts, {cluster: 'prod', task: 'x'}, 'linux')

  it.each(WIDTHS)('%i columns: fits with a hanging indent, colour only when asked', async (width) => {
    for (const colour of [false, true]) {
      const lines = renderCheckReport(report, makeColors(colour), width)
      expect(overflowing(lines, width)).toEqual([])
      expect(lines.some((l) => l.includes('\u001B['))).toBe(colour)
      const failing = lines.findIndex((l) => l.includes('✖ fail'))
      expect(lines[failing + 1]).toMatch(/^ {9}/)
      if (!colour) await expect(lines.join('\n')).toMatchFileSnapshot(`__snapshots__/exec-check.${width}.txt`)
    }
  })
})

describe('the built CLI, piped', () => {
  it('no colour in a pipe, even with FORCE_COLOR unset and NO_COLOR unset; FORCE_COLOR brings it back', async () => {
    const args = ['check-endpoints', '--snapshot', 'examples/private-vpc-missing-ssmmessages.json']
    const cwd = root.pathname
    const piped = await runCli(args, {env: cleanEnv({NO_COLOR: undefined, CI: undefined}), cwd})
    expect(piped.code).toBe(1)
    expect(piped.stdout).not.toMatch(ANSI)
    expect(overflowing(piped.stdout.split('\n'), 80)).toEqual([])
    const forced = await runCli(args, {env: cleanEnv({NO_COLOR: undefined, CI: undefined, FORCE_COLOR: '1'}), cwd})
    expect(forced.stdout).toMatch(ANSI)
  })

  it('every command\'s --help fits 80 columns in a pipe', async () => {
    for (const command of [[], ['migrate'], ['exec'], ['exec', 'check'], ['exec', 'port-forward'], ['check-endpoints'], ['preflight'], ['config'], ['iam-policy']]) {
      const r = await runCli([...command, '--help'], {env: cleanEnv()})
      expect(r.code).toBe(0)
      expect(r.stdout.split('\n').filter((l) => l.length > 80), command.join(' ')).toEqual([])
    }
  })
})
