/**
 * The end of an exhaustive switch over a union of the core's vocabulary: once every value has
 * its case, `value` is `never`; a value the core adds later fails to compile here.
 */
export function unreachable(value: never): never {
  throw new Error(`unexpected value from the core: ${String(value)}`);
}
