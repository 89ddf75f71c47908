import type {
  InternalServiceRef,
  ServiceRef,
} from '@plinth/backend-plugin-api';

/**
 * Says how a missing service is provided: with a factory for its ref,
 * naming the default factory of `@plinth/backend-defaults` for core services,
 * and for other services where the ref is declared, since its package
 * usually ships the factory or a default.
 */
export function describeServiceFix(ref: ServiceRef<unknown>): string {
  if (ref.id.startsWith('core.')) {
    const name = ref.id.slice('core.'.length);
    return `add its default, backend.add(${name}ServiceFactory) from '@plinth/backend-defaults', or your own createServiceFactory({ service: coreServices.${name}, ... }); createBackend() includes every default`;
  }
  const declared = (ref as InternalServiceRef).description;
  return `add a factory for it with backend.add(createServiceFactory({ service: ... }))${declared ? `; its ref is declared at ${declared}` : ''}`;
}
