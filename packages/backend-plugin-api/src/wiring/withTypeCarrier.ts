/**
 * Adds the `T` property that refs use to carry their type. It throws when
 * read, to catch code that mistakes it for a value, and is not enumerable,
 * so that logging, inspecting or comparing a ref never trips it.
 */
export function withTypeCarrier<TValue extends object, TCarried>(
  value: TValue,
  message: string,
): TValue & { readonly T: TCarried } {
  return Object.defineProperty(value, 'T', {
    enumerable: false,
    get() {
      throw new Error(message);
    },
  }) as TValue & { readonly T: TCarried };
}
