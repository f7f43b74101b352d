// n8n's executions read from its Postgres database (queue mode), with n8n's own `pg` and
// `flatted` (the format n8n stores run data in): no API key or owner account needed, and it
// works while n8n runs. The SQLite twin is N8nHome.executions in n8n-harness.ts.
import { createRequire } from 'node:module';
import path from 'node:path';

import type { Execution } from './n8n-harness';

interface PgClient {
	connect(): Promise<void>;
	query(sql: string, params?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
	end(): Promise<void>;
}

/** Connection settings from n8n's own DB_POSTGRESDB_* variables. */
export function postgresClient(n8nDir: string, env: NodeJS.ProcessEnv): PgClient {
	const req = createRequire(path.join(n8nDir, 'node_modules', 'n8n', 'package.json'));
	const { Client } = req('pg') as { Client: new (config: Record<string, unknown>) => PgClient };
	return new Client({
		host: env.DB_POSTGRESDB_HOST,
		port: Number(env.DB_POSTGRESDB_PORT),
		user: env.DB_POSTGRESDB_USER,
		password: env.DB_POSTGRESDB_PASSWORD,
		database: env.DB_POSTGRESDB_DATABASE,
	});
}

export async function postgresExecutions(
	n8nDir: string,
	env: NodeJS.ProcessEnv,
	workflowId?: string,
): Promise<Execution[]> {
	const req = createRequire(path.join(n8nDir, 'node_modules', 'n8n', 'package.json'));
	const { parse } = req('flatted') as { parse: (text: string) => Execution['data'] };
	const client = postgresClient(n8nDir, env);
	await client.connect();
	try {
		const { rows } = await client.query(
			'SELECT e.id, e."workflowId", e.status, e.mode, e."startedAt", e."stoppedAt", d.data ' +
				'FROM execution_entity e LEFT JOIN execution_data d ON d."executionId" = e.id ' +
				(workflowId ? 'WHERE e."workflowId" = $1 ' : '') +
				'ORDER BY e.id',
			workflowId ? [workflowId] : [],
		);
		return rows.map((r) => ({
			id: Number(r.id),
			workflowId: String(r.workflowId),
			status: String(r.status),
			mode: String(r.mode),
			startedAt: String(r.startedAt),
			stoppedAt: String(r.stoppedAt),
			data: typeof r.data === 'string' ? parse(r.data) : undefined,
		}));
	} finally {
		await client.end();
	}
}
