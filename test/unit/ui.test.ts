import {Writable} from 'node:stream'
import {describe, expect, it} from 'vitest'

import {UsageError} from '../../src/errors.js'
import {createUi, debugEnabled, isCi} from '../../src/ui/output.js'
import {cancelled, pickOne} from '../../src/ui/prompt.js'

function sink(isTTY = false) {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk))
      done()
    },
  }) as Writable & {isTTY?: boolean; columns?: number}
  stream.isTTY = isTTY
  if (isTTY) stream.columns = 120
  return {stream, text: () => chunks.join('')}
}

function ui(options: {json?: boolean; tty?: boolean; env?: NodeJS.ProcessEnv} = {}) {
  const stdout = sink(options.tty)
  const stderr = sink(options.tty)
  const u = createUi({json: options.json, streams: {stdout: stdout.stream, stderr: stderr.stream, stdin: {isTTY: options.tty}, env: options.env ?? {}}})
  return {u, stdout, stderr}
}

describe('createUi', () => {
  it('writes results to stdout and progress, warnings and errors to stderr', () => {
    const {u, stdout, stderr} = ui()
    u.out('result')
    u.info('progress')
    u.warn('careful')
    u.error('broken')
    expect(stdout.text()).toBe('result\n')
    expect(stderr.text()).toBe('progress\nwarning: careful\nerror: broken\n')
  })

  it('keeps stdout for the JSON document under --json', () => {
    const {u, stdout, stderr} = ui({json: true})
    u.out('a log line')
    u.writeJson({ok: true})
    expect(JSON.parse(stdout.text())).toEqual({ok: true})
    expect(stderr.text()).toBe('a log line\n')
  })

  it('is interactive and fancy only with terminals and no CI variable', () => {
    expect(ui({tty: true}).u.interactive).toBe(true)
    expect(ui({tty: true}).u.fancy).toBe(true)
    expect(ui({tty: true, env: {CI: 'false'}}).u.interactive).toBe(false)
    expect(ui({tty: true, env: {CI: 'true'}}).u.fancy).toBe(false)
    expect(ui({tty: false}).u.interactive).toBe(false)
  })

  it('shows no spinner in a terminal that reports no width', () => {
    const stderr = sink(true)
    stderr.stream.columns = 0
    const u = createUi({streams: {stdout: sink(true).stream, stderr: stderr.stream, stdin: {isTTY: true}, env: {}}})
    expect(u.fancy).toBe(false)
    expect(u.interactive).toBe(true)
  })

  it('colours only a terminal without NO_COLOR (an empty NO_COLOR does not count, as no-color.org says)', () => {
    expect(ui({tty: true}).u.color.red('x')).toBe('\u001B[31mx\u001B[39m')
    expect(ui({tty: true, env: {NO_COLOR: '1'}}).u.color.red('x')).toBe('x')
    expect(ui({tty: true, env: {NO_COLOR: ''}}).u.color.red('x')).toBe('\u001B[31mx\u001B[39m')
    expect(ui({tty: true, env: {TERM: 'dumb'}}).u.color.red('x')).toBe('x')
    expect(ui({tty: true, env: {CI: 'true'}}).u.color.red('x')).toBe('x')
    expect(ui({tty: false}).u.color.red('x')).toBe('x')
  })

  it('decides colour per stream: a report redirected to a file has none while stderr, a terminal, keeps its colours', () => {
    const stdout = sink(false)
    const stderr = sink(true)
    const u = createUi({streams: {stdout: stdout.stream, stderr: stderr.stream, stdin: {isTTY: true}, env: {}}})
    expect(u.outColor.red('x')).toBe('x')
    expect(u.color.red('x')).toBe('\u001B[31mx\u001B[39m')
    expect(u.width).toBe(80)
    // The other way round: `2> log` and a terminal on stdout.
    const v = createUi({streams: {stdout: sink(true).stream, stderr: sink(false).stream, stdin: {isTTY: true}, env: {}}})
    expect(v.outColor.red('x')).toBe('\u001B[31mx\u001B[39m')
    expect(v.color.red('x')).toBe('x')
    expect(v.width).toBe(120)
    // Under --json, `out` writes to stderr: stderr's colours and width.
    expect(createUi({json: true, streams: {stdout: sink(true).stream, stderr: sink(false).stream, stdin: {}, env: {}}}).outColor.red('x')).toBe('x')
  })

  it('FORCE_COLOR wins over everything (0 or false turns colour off), in a pipe too', () => {
    expect(ui({tty: false, env: {FORCE_COLOR: '1'}}).u.outColor.red('x')).toBe('\u001B[31mx\u001B[39m')
    expect(ui({tty: false, env: {FORCE_COLOR: '', NO_COLOR: '1'}}).u.outColor.red('x')).toBe('\u001B[31mx\u001B[39m')
    expect(ui({tty: true, env: {FORCE_COLOR: '0'}}).u.color.red('x')).toBe('x')
    expect(ui({tty: true, env: {FORCE_COLOR: 'false'}}).u.outColor.red('x')).toBe('x')
  })

  it('prints plain timestamped progress lines without a terminal', () => {
    const {u, stderr} = ui({env: {CI: 'true'}})
    const p = u.spinner('Starting task')
    p.update('PENDING')
    p.update('PENDING')
    p.succeed('STOPPED')
    const lines = stderr.text().trim().split('\n')
    expect(lines).toHaveLength(3)
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\] Starting task$/)
    expect(lines[1]).toMatch(/^\[\d\d:\d\d:\d\d\] PENDING$/)
    expect(lines[2]).toMatch(/^\[\d\d:\d\d:\d\d\] STOPPED$/)
  })

  it('recognises GitHub Actions, CI and DEBUG=ecsops*', () => {
    expect(ui({env: {GITHUB_ACTIONS: 'true'}}).u.githubActions).toBe(true)
    expect(isCi({CI: ''})).toBe(true)
    expect(isCi({})).toBe(false)
    expect(debugEnabled({DEBUG: 'ecsops*'})).toBe(true)
    expect(debugEnabled({DEBUG: 'other,ecsops:aws'})).toBe(true)
    expect(debugEnabled({DEBUG: 'express'})).toBe(false)
  })
})

describe('pickOne', () => {
  const choices = ['web', 'worker', 'cron'].map((name) => ({name, value: name}))

  it('takes the only candidate without asking', async () => {
    const {u, stderr} = ui()
    expect(await pickOne(u, {message: 'Service?', flag: 'service', noun: 'service', choices: [choices[0]]})).toBe('web')
    expect(stderr.text()).toBe('Using service web (the only one).\n')
  })

  it('without a terminal, fails naming the flag and listing the candidates', async () => {
    const {u} = ui({env: {CI: 'true'}})
    const err = await pickOne(u, {message: 'Service?', flag: 'service', noun: 'service', choices}).catch((e) => e)
    expect(err).toBeInstanceOf(UsageError)
    expect(err.message).toBe('--service is required when ecsops cannot prompt (no terminal, or CI is set): 3 services match.')
    expect(err.hint).toBe('Pass one with --service:\n    web\n    worker\n    cron')
  })

  it('lists at most twenty candidates, one per line, then how many more', async () => {
    const many = Array.from({length: 23}, (_, i) => ({name: `svc-${i}`, value: i}))
    const err = await pickOne(ui().u, {message: '?', flag: 'service', noun: 'service', choices: many}).catch((e) => e)
    const lines = err.hint.split('\n')
    expect(lines).toHaveLength(22)
    expect(lines.at(-2)).toBe('    svc-19')
    expect(lines.at(-1)).toBe('    … and 3 more')
  })

  it('a disabled candidate is listed with its reason and never taken', async () => {
    const withOff = [{name: 'task-1', value: 1, disabled: 'ECS Exec off'}, {name: 'task-2', value: 2}]
    const {u, stderr} = ui()
    expect(await pickOne(u, {message: '?', flag: 'task', noun: 'task', choices: withOff})).toBe(2)
    expect(stderr.text()).toBe('Using task task-2 (the only one available).\n')
    const none = await pickOne(ui().u, {message: '?', flag: 'task', noun: 'task', choices: [withOff[0]!]}).catch((e) => e)
    expect(none.message).toBe('No task can be chosen: the only one is unavailable.')
    expect(none.hint).toBe('  task-1 (ECS Exec off)')
    const listed = await pickOne(ui().u, {message: '?', flag: 'task', noun: 'task', choices: [...withOff, {name: 'task-3', value: 3}]}).catch((e) => e)
    expect(listed.message).toContain('2 tasks match')
    expect(listed.hint).toBe('Pass one with --task:\n    task-1 (ECS Exec off)\n    task-2\n    task-3')
  })

  it('Ctrl-C in the picker is "Cancelled" and exit 130; Ctrl-D a plain cancel (exit 1)', () => {
    const sigint = Object.assign(new Error('User force closed the prompt with SIGINT'), {name: 'ExitPromptError'})
    expect(() => cancelled(sigint, 'no task was chosen')).toThrow(expect.objectContaining({message: 'Cancelled (Ctrl-C): no task was chosen.', exitCode: 130, code: 'Cancelled'}))
    const eof = Object.assign(new Error('User force closed the prompt with 0 null'), {name: 'ExitPromptError'})
    expect(() => cancelled(eof, 'no task was chosen')).toThrow(expect.objectContaining({message: 'Cancelled: no task was chosen.', exitCode: 1}))
    const other = new Error('boom')
    expect(() => cancelled(other, 'x')).toThrow(other)
  })

  it('fails when there is nothing to choose from', async () => {
    const err = (await pickOne<string>(ui().u, {message: '?', flag: 'task', noun: 'task', choices: []}).catch((e) => e as UsageError)) as UsageError
    expect(err.message).toBe('No task to choose from.')
  })
})
