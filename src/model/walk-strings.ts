/** Every string inside a value, with its JSON pointer, so rules can find {{ references }}. */
export function* stringsIn(value: unknown, pointer: string): Generator<[string, string]> {
  if (typeof value === 'string') yield [pointer, value];
  else if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* stringsIn(value[i], `${pointer}/${i}`);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value))
      yield* stringsIn(v, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
  }
}

/** Check options that name a secret (password, access_key, secret_key), wherever they appear. */
export function* secretFields(value: unknown, pointer: string): Generator<[string, string]> {
  for (const [p, text] of stringsIn(value, pointer)) if (/\/(password|access_key|secret_key)$/.test(p)) yield [p, text];
}
