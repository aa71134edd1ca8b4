import { readdirSync } from 'node:fs';
import { expect } from 'chai';
import { COMMANDS } from '../src/main.js';

describe('main (the bundle\'s list of commands)', function () {
  it('lists every file of src/commands under the id oclif derives from its path', async function () {
    const folder = new URL('../src/commands/', import.meta.url);
    const files = readdirSync(folder, { recursive: true }).map(String).filter((file) => file.endsWith('.ts')).sort();
    // By class name: the test runner may load a module twice, so identity would not hold.
    const expected: Record<string, string> = {};
    for (const file of files) {
      const id = file.replace(/\.ts$/, '').replace(/\/index$/, '').replaceAll('/', ':');
      expected[id] = ((await import(new URL(file, folder).href)) as { default: { name: string } }).default.name;
    }
    expect(Object.keys(expected)).to.have.length.above(5);
    expect(Object.fromEntries(Object.entries(COMMANDS).map(([id, command]) => [id, command.name]))).to.deep.equal(expected);
  });
});
