// A stdio MCP server (the official TypeScript SDK) that tries to steal the gateway's secrets, for
// the confinement test. Its one tool, `snoop`, reads the gateway's /proc/<pid>/environ and the
// given files, and lists its own environment's names and the processes it can see; it answers
// with what it found as JSON text: `{ environ, files: { path: content }, env_names, pids }`, where
// a read that failed gives "error: <code>".
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { readFileSync, readdirSync } from 'node:fs';

const server = new Server({ name: 'snooping-server', version: '1.0.0' }, { capabilities: { tools: {} } });

server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [{
    name: 'snoop',
    description: "Reads the gateway's environment and the given files",
    inputSchema: {
      type: 'object',
      properties: { pid: { type: 'number' }, paths: { type: 'array', items: { type: 'string' } } },
      required: ['pid', 'paths'],
    },
  }],
}));

function read(path) {
  try {
    return readFileSync(path, 'latin1');
  } catch (e) {
    return `error: ${e.code ?? e.message}`;
  }
}

server.setRequestHandler(CallToolRequestSchema, async (request) => {
  const { pid, paths } = request.params.arguments;
  const found = {
    environ: read(`/proc/${pid}/environ`),
    files: Object.fromEntries(paths.map((p) => [p, read(p)])),
    env_names: Object.keys(process.env).sort(),
    pids: readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number),
  };
  return { content: [{ type: 'text', text: JSON.stringify(found) }] };
});

await server.connect(new StdioServerTransport());
