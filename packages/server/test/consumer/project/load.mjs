// Imports each module named on the command line, as an ESM consumer does, and prints the type of each export.
const loaded = {};
for (const name of process.argv.slice(2)) {
  const module = await import(name);
  loaded[name] = Object.fromEntries(Object.entries(module).map(([key, value]) => [key, typeof value]));
}
process.stdout.write(JSON.stringify(loaded));
