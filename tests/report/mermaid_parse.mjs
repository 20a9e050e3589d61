// Parses a Mermaid file with Mermaid's own parser (mermaid.parse), from the package toolchain/setup.sh installs with
// npm ci into build/deps/mermaid (pinned by tests/report/package-lock.json): node mermaid_parse.mjs DIR FILE.
// Prints the diagram type and exits 0, or prints the parse error and exits 1.
import { createRequire } from 'module';
import { readFileSync } from 'fs';
import { pathToFileURL } from 'url';

const [dir, file] = process.argv.slice(2);
const entry = createRequire(pathToFileURL(dir + '/')).resolve('mermaid');
const mermaid = (await import(pathToFileURL(entry).href)).default;
try {
    const result = await mermaid.parse(readFileSync(file, 'utf8'));
    console.log(`mermaid.parse: ${result.diagramType}`);
} catch (error) {
    console.log(`mermaid.parse: ${error.message}`);
    process.exit(1);
}
