/**
 * JSON text kept as UTF-8 bytes in a buffer outside the V8 heap, written
 * out as the text again wherever it is serialised (`JSON.stringify` calls
 * {@link OffHeapJson.toJSON}).
 *
 * @remarks
 * One processing run can emit a whole catalog: a Location whose targets
 * hold 100,000 entities keeps them all until the run is written, some
 * 110 MB of JSON. Held as strings they sit in V8's old generation, which
 * V8 lets grow to several times what survived its last collection before
 * it collects again, so that run alone took the process to 855 MB. A
 * buffer's bytes are counted once. Deflating them as well would halve
 * them but cost some 35 µs per entity, thirty times the copy.
 *
 * @internal
 */
export class OffHeapJson {
  readonly #bytes: Buffer;

  constructor(text: string) {
    this.#bytes = Buffer.from(text, 'utf8');
  }

  /** The JSON text. */
  toString(): string {
    return this.#bytes.toString('utf8');
  }

  /** The JSON text, so that a row holding it serialises as if it held the text. */
  toJSON(): string {
    return this.toString();
  }
}
