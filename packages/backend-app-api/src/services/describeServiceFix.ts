import type {
  InternalServiceRef,
  ServiceRef,
} from '@plinth/backend-plugin-api';

/**
 * Says how a missing service is provided: with a factory for its ref,
 * named the way the user writes it (`coreServices.x` for core services),
 * and for other services where the ref is declared, since its package
 * usually ships the factory or a default.
 */
export function describeServiceFix(ref: ServiceRef<unknown>): string {
  if (ref.id.startsWith('core.')) {
    const name = ref.id.slice('core.'.length);
    return `add a factory for it with backend.add(createServiceFactory({ service: coreServices.${name}, deps, factory }))`;
  }
  const declared = (ref as InternalServiceRef).description;
  return `add a factory for it with backend.add(createServiceFactory({ service: ... }))${declared ? `; its ref is declared at ${declared}` : ''}`;
}
