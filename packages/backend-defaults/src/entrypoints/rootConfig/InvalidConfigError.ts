// Kept for the files of other services that import it here; they move to '../../errors'.
export { InvalidConfigError } from '../../errors';
