/**
 * @deprecated Moved to `../signJws.fixture`; this re-export only keeps the
 * tests of `userInfo/` compiling until they import the fixture, and goes
 * with this folder then.
 */
export { signJws } from '../signJws.fixture';
