/** `items` in lists of at most `size`: for AWS parameters with a maximum number of members a call (DescribeServices 10, DescribeSubnets filters 200, …). Pure. */
export function chunk<T>(items: T[], size: number): T[][] {
  return Array.from({length: Math.ceil(items.length / size)}, (_, i) => items.slice(i * size, i * size + size))
}
