// A stand-in Yarn for runYarnInstall.test.ts: prints what it was given;
// its name contains "yarn", as resolveYarnCommand expects.
process.stdout.write(`args: ${process.argv.slice(2).join(' ')}\n`);
process.stderr.write(`cwd: ${process.cwd()}\n`);
process.exitCode = 3;
