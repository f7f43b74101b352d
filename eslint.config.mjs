// n8n's own rule set, unchanged, for everything that ships (nodes/, credentials/, package.json).
// Tests, the emulator, benchmarks and scripts are tooling that never reaches n8n: they print
// to the console and use timers and the file system, which the node rules rightly forbid.
import { globalIgnores } from 'eslint/config';
import { config } from '@n8n/node-cli/eslint';

export default [
	globalIgnores(['test/**', 'bench/**', 'scripts/**', 'examples/**', '.scratch/**']),
	...config,
];
