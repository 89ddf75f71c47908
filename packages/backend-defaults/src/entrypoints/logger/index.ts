export { loggerServiceFactory } from './loggerServiceFactory';
