import type {
  InternalServiceRef,
  ServiceRef,
} from '@plinth/backend-plugin-api';

/**
 * Says how a missing service is usually provided: core services by their
 * factory in `@plinth/backend-defaults`, others by a factory of the
 * user's own, pointing at where the ref was declared.
 */
export function describeServiceFix(ref: ServiceRef<unknown>): string {
  if (ref.id.startsWith('core.')) {
    const factoryName = `${ref.id.slice('core.'.length)}ServiceFactory`;
    return `add ${factoryName} from '@plinth/backend-defaults' with backend.add(), or create the backend with createBackend(), which includes it`;
  }
  const declared = (ref as InternalServiceRef).description;
  return `add a factory for it with backend.add(createServiceFactory({ service: ... }))${declared ? `; its ref is declared at ${declared}` : ''}`;
}
