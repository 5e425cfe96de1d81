import {describe, expect, it} from 'vitest'

import {commandFrom, commandWordsOf, containerCommand} from '../../src/exec/command.js'

describe('containerCommand: the bare program guarantee', () => {
  it('sends exactly "bash" by default', () => {
    expect(containerCommand(undefined)).toEqual({command: 'bash'})
    expect(containerCommand('')).toEqual({command: 'bash'})
    expect(containerCommand('   ')).toEqual({command: 'bash'})
  })

  it('keeps bare programs and their arguments as given', () => {
    expect(containerCommand('sh')).toEqual({command: 'sh'})
    expect(containerCommand('rails console')).toEqual({command: 'rails console'})
    expect(containerCommand('bash -l')).toEqual({command: 'bash -l'})
  })

  it('keeps container paths: /bin/sh is what the operator meant', () => {
    expect(containerCommand('/bin/sh')).toEqual({command: '/bin/sh'})
    expect(containerCommand('/usr/local/bin/php artisan tinker')).toEqual({command: '/usr/local/bin/php artisan tinker'})
  })

  it.each([
    ['C:/Program Files/Git/usr/bin/bash', 'bash'],
    ['C:\\Program Files\\Git\\usr\\bin\\bash.exe', 'bash'],
    ['C:/Program Files/Git/bin/sh.exe', 'sh'],
    ['c:/msys64/usr/bin/bash', 'bash'],
    ['D:\\tools\\cygwin64\\bin\\bash.exe', 'bash'],
    ['/c/Program Files/Git/usr/bin/bash', 'bash'],
    ['bash.exe', 'bash'],
  ])('turns the Windows host path %s back into %s', (given, bare) => {
    expect(containerCommand(given)).toEqual({command: bare, rewrittenFrom: given})
  })

  it('keeps the arguments after a rewritten program', () => {
    expect(containerCommand('C:/Program Files/Git/usr/bin/bash -l')).toEqual({command: 'bash -l', rewrittenFrom: 'C:/Program Files/Git/usr/bin/bash -l'})
    expect(containerCommand('C:\\Program Files\\Git\\usr\\bin\\bash.exe -c ls')).toEqual({command: 'bash -c ls', rewrittenFrom: 'C:\\Program Files\\Git\\usr\\bin\\bash.exe -c ls'})
  })

  it('sees a quoted host path, and leaves other quoted programs as given', () => {
    expect(containerCommand('"C:/Program Files/Git/usr/bin/bash"')).toEqual({command: 'bash', rewrittenFrom: '"C:/Program Files/Git/usr/bin/bash"'})
    expect(containerCommand("'C:\\Program Files\\Git\\bin\\bash.exe' -l")).toEqual({command: 'bash -l', rewrittenFrom: "'C:\\Program Files\\Git\\bin\\bash.exe' -l"})
    expect(containerCommand('"/bin/sh" -c ls')).toEqual({command: '"/bin/sh" -c ls'})
  })
})

describe('commandFrom: the words after --, a JSON array or a plain string', () => {
  it('keeps the default bare: nothing given is undefined, which containerCommand turns into bash', () => {
    expect(commandFrom([], undefined, undefined)).toBeUndefined()
    expect(containerCommand(commandFrom([], undefined, undefined)).command).toBe('bash')
  })
  it('joins the words after -- with shell quoting: a word with spaces or quotes stays one word', () => {
    expect(commandFrom(['ls', '-la', '/'], undefined, undefined)).toBe('ls -la /')
    expect(commandFrom(['php', 'artisan', 'tinker', '--execute=echo "hi";'], undefined, undefined)).toBe('php artisan tinker \'--execute=echo "hi";\'')
    expect(commandFrom(['sh', '-c', "ps aux | grep 'php-fpm'"], undefined, undefined)).toBe("sh -c 'ps aux | grep '\\''php-fpm'\\'''")
  })
  it('takes --command as a JSON array, as migrate does, quoted the same way', () => {
    expect(commandFrom([], '["php","artisan"]', undefined)).toBe('php artisan')
    expect(commandFrom([], '["ls", "/var/log/my app"]', undefined)).toBe("ls '/var/log/my app'")
  })
  it('keeps --command as a plain string, and a plain command that starts with [', () => {
    expect(commandFrom([], 'rails console', 'sh')).toBe('rails console')
    expect(commandFrom([], '[ -f /tmp/ready ]', undefined)).toBe('[ -f /tmp/ready ]')
  })
  it('falls back to the config file\'s exec.command', () => {
    expect(commandFrom([], undefined, 'sh')).toBe('sh')
  })
  it('rejects a broken JSON array, a non-string word, and both forms at once (usage errors)', () => {
    expect(() => commandFrom([], '["ls",', undefined)).toThrow('--command is not a JSON array of words: ["ls",')
    expect(() => commandFrom([], '["ls", 1]', undefined)).toThrow('--command is not a JSON array of words')
    expect(() => commandFrom([], '[]', undefined)).toThrow('--command is not a JSON array of words')
    expect(() => commandFrom(['ls'], 'sh', undefined)).toThrow('Give the command either after -- or with --command, not both.')
  })
})

describe('commandWordsOf', () => {
  it('takes the words after the first --, and rejects a word before it', () => {
    expect(commandWordsOf(['--task', 'T', '--', 'ls', '--', '-la'], ['ls', '--', '-la'])).toEqual(['ls', '--', '-la'])
    expect(commandWordsOf(['--task', 'T'], [])).toEqual([])
    expect(() => commandWordsOf(['--task', 'T', 'ls'], ['ls'])).toThrow('Unexpected argument "ls": the command to run goes after --.')
  })
})
