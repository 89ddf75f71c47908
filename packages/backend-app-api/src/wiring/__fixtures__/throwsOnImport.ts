// A feature module that fails while it is evaluated, as one that calls a
// function it forgot to import does.
const forgotten: Record<string, () => unknown> = {};

export default forgotten.createBackendPlugin();
