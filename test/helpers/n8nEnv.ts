// n8n-core reads its settings at import time: keep its files out of the user's ~/.n8n.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.N8N_USER_FOLDER ??= join(tmpdir(), 'n8n-nodes-mimecast-test');
process.env.N8N_ENCRYPTION_KEY ??= 'n8n-nodes-mimecast-test-key';
process.env.N8N_DIAGNOSTICS_ENABLED ??= 'false';
mkdirSync(process.env.N8N_USER_FOLDER, { recursive: true });
