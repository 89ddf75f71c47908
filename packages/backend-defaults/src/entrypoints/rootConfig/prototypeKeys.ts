// Kept for the files of other services that import it here; they move to '../../config'.
export { isPrototypeKey } from '../../config';
