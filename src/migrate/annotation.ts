/**
 * A GitHub Actions workflow command that raises an annotation, e.g.
 * `::error title=ecsops migrate::Container php exited with code 2.` (the message escaped so that
 * a multi-line reason stays one annotation).
 */
export function annotation(level: 'error' | 'warning', message: string): string {
  const escaped = message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
  return `::${level} title=ecsops migrate::${escaped}`
}
