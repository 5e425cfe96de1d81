import {EventEmitter} from 'node:events'
import type {ChildProcess, SpawnOptions} from 'node:child_process'

import type {SignalTarget} from '../../src/exec/session.js'

/** A signal target that records which listeners are installed; `emit` plays a signal to them. */
export function signalTarget(): SignalTarget & {listeners: Map<string, Array<() => void>>; emit(signal: NodeJS.Signals): void} {
  const listeners = new Map<string, Array<() => void>>()
  return {
    listeners,
    on(signal, fn) {
      listeners.set(signal, [...(listeners.get(signal) ?? []), fn])
    },
    removeListener(signal, fn) {
      listeners.set(signal, (listeners.get(signal) ?? []).filter((f) => f !== fn))
    },
    emit(signal) {
      for (const fn of listeners.get(signal) ?? []) fn()
    },
  }
}

export interface FakeChild extends EventEmitter {
  file: string
  args: string[]
  options: SpawnOptions
  /** Signals sent to the child with `kill`. */
  killed: NodeJS.Signals[]
}

/** A spawn that records each child and hands it to `onSpawn` on the next microtask (to exit, fail, or await a signal). */
export function fakeSpawn(onSpawn: (child: FakeChild) => void) {
  const spawned: FakeChild[] = []
  const spawn = (file: string, args: string[], options: SpawnOptions) => {
    const killed: NodeJS.Signals[] = []
    const child = Object.assign(new EventEmitter(), {file, args, options, killed}) as FakeChild
    Object.assign(child, {kill: (signal: NodeJS.Signals) => killed.push(signal) > 0 && child.emit('signal', signal)})
    spawned.push(child)
    queueMicrotask(() => onSpawn(child))
    return child as unknown as ChildProcess
  }
  return {spawn, spawned}
}
