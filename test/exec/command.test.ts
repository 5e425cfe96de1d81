import {describe, expect, it} from 'vitest'

import {containerCommand} from '../../src/exec/command.js'

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
