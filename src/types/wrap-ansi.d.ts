// wrap-ansi 7 (the line @oclif/core uses, CommonJS) ships no types: the part of its API ecsops calls.
declare module 'wrap-ansi' {
  interface Options {
    hard?: boolean
    trim?: boolean
    wordWrap?: boolean
  }
  export default function wrapAnsi(input: string, columns: number, options?: Options): string
}
