export * from './ServiceRef';
export * from './createServiceRef';
export * from './createServiceFactory';
export * from './isServiceRef';
