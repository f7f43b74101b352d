// Experiment only, not a package change: n8n-core reusing one keep-alive Agent per
// (proxy, SSRF mode, agent options) instead of building a new one for every request
// (@n8n/backend-network setAxiosAgents -> buildNodeAgents). Load it before a figure:
//   node --import tsx --expose-gc --require ./bench/prototypes/p1-n8n-agent-reuse.experiment.js bench/p1-paging.ts
const { join } = require('node:path');
const mod = require(join(process.cwd(), 'node_modules/@n8n/backend-network/dist/http/node-agents.js'));
const orig = mod.buildNodeAgents;
const cache = new Map();
mod.buildNodeAgents = (proxy, ssrf, opts = {}) => {
	const key = JSON.stringify([proxy, typeof ssrf === 'string' ? ssrf : 'policy', opts]);
	if (!cache.has(key)) cache.set(key, orig(proxy, ssrf, { ...opts, keepAlive: true }));
	return cache.get(key);
};
