// Requires each module named on the command line, as a CommonJS consumer does, and prints the type of each export.
const loaded = {};
for (const name of process.argv.slice(2)) {
  const module = require(name);
  loaded[name] = Object.fromEntries(Object.entries(module).map(([key, value]) => [key, typeof value]));
}
process.stdout.write(JSON.stringify(loaded));
