import {
  BackendStartupError,
  BackendStateError,
  BackendValidationError,
} from '@plinth/backend-app-api';
import { ConfigError } from '../../errors';
import { startWithFailureReport } from './createBackend';

type Listener = (reason: unknown, promise: Promise<unknown>) => void;

/** Starts with `start`, capturing the unhandled-rejection listener. */
function watch(start: () => Promise<void>) {
  const on = jest.spyOn(process, 'on');
  const started = startWithFailureReport(start);
  started.catch(() => {});
  const listener = on.mock.calls.find(
    ([event]) => event === 'unhandledRejection',
  )![1] as Listener;
  on.mockRestore();
  return { started, listener };
}

describe('startWithFailureReport', () => {
  let exit: jest.SpyInstance;
  let stderr: jest.SpyInstance;
  beforeEach(() => {
    exit = jest
      .spyOn(process, 'exit')
      .mockImplementation(() => undefined as never);
    stderr = jest.spyOn(process.stderr, 'write').mockReturnValue(true);
  });

  it('prints only the message of a wiring mistake nobody handles and exits with 1', () => {
    const error = new BackendValidationError([new Error('duplicate plugin')]);
    const { started, listener } = watch(() => Promise.reject(error));
    listener(error, started);
    expect(stderr).toHaveBeenCalledWith(`${error.message}\n`);
    expect(exit).toHaveBeenCalledWith(1);
  });

  it('prints only the message of a configuration mistake found before the start, such as an invalid heap growth', () => {
    const error = new ConfigError(
      'CONFIG_HEAP_GROWTH_INVALID',
      'Invalid heap growth',
    );
    const { started, listener } = watch(() => Promise.reject(error));
    listener(error, started);
    expect(stderr).toHaveBeenCalledWith('Invalid heap growth\n');
    expect(exit).toHaveBeenCalledWith(1);
  });

  it('prints nothing more for a startup failure the engine has logged', () => {
    const error = new BackendStartupError([new Error('plugin failed')]);
    const { started, listener } = watch(() => Promise.reject(error));
    listener(error, started);
    expect(stderr).not.toHaveBeenCalled();
    expect(exit).toHaveBeenCalledWith(1);
  });

  it('leaves a start that stop() ended to the stop, printing nothing and not exiting', () => {
    const off = jest.spyOn(process, 'off');
    const error = BackendStateError.stoppedWhileStarting();
    const { started, listener } = watch(() => Promise.reject(error));
    listener(error, started);
    expect(stderr).not.toHaveBeenCalled();
    expect(exit).not.toHaveBeenCalled();
    expect(off).toHaveBeenCalledWith('unhandledRejection', listener);
  });

  it('reports any other state error of the start and exits 1', () => {
    const error = BackendStateError.startAgain('started');
    const { started, listener } = watch(() => Promise.reject(error));
    listener(error, started);
    expect(stderr).toHaveBeenCalledWith(`${error.message}\n`);
    expect(exit).toHaveBeenCalledWith(1);
  });

  it('prints the stack of an internal bug', () => {
    const error = new TypeError('x is not a function');
    const { started, listener } = watch(() => Promise.reject(error));
    listener(error, started);
    expect(stderr).toHaveBeenCalledWith(`${error.stack}\n`);
  });

  it('rethrows the unhandled rejections of other promises', () => {
    const { listener } = watch(() => new Promise(() => {}));
    const other = new Error('elsewhere');
    expect(() => listener(other, Promise.resolve())).toThrow(other);
    expect(exit).not.toHaveBeenCalled();
  });

  it('stops listening once the backend started', async () => {
    const off = jest.spyOn(process, 'off');
    const { started, listener } = watch(() => Promise.resolve());
    await started;
    expect(off).toHaveBeenCalledWith('unhandledRejection', listener);
  });
});
