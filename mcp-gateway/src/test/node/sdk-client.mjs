// The official MCP TypeScript SDK client, driven by the gateway tests. It prints one JSON object:
// what the gateway answered, so the Java test can check it.
//   node sdk-client.mjs <url> <action> [sessionId]
//   actions: tools (list tools, call echo), start (initialize and print the session id),
//            resume (continue the given session without initializing: list tools, call echo),
//            progress (call trigger-long-running-operation and count the progress notifications),
//            feedback (call collect_feedback — FEEDBACK_SUMMARY, FEEDBACK_TIMEOUT — with a 5 s request
//            timeout that only progress notifications keep extending, and print the answer)
// The bearer key comes from MCP_TOKEN.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const [url, action, sessionId] = process.argv.slice(2);
const headers = { Authorization: `Bearer ${process.env.MCP_TOKEN}` };
const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers }, sessionId });
const client = new Client({ name: 'gateway-test', version: '1.0.0' });
const out = {};
try {
  await client.connect(transport);
  out.session_id = transport.sessionId ?? null;
  out.server = client.getServerVersion() ?? null;
  if (action === 'tools' || action === 'resume') {
    const tools = await client.listTools();
    out.tools = tools.tools.map((t) => t.name);
    const echoName = out.tools.find((n) => n === 'echo' || n.endsWith('echo'));
    if (echoName) {
      const echoed = await client.callTool({ name: echoName, arguments: { message: 'through the gateway' } });
      out.echo = echoed.content?.[0]?.text ?? null;
    }
  }
  if (action === 'progress') {
    let progress = 0;
    const result = await client.callTool(
      { name: process.env.MCP_TOOL ?? 'trigger-long-running-operation', arguments: { duration: 2, steps: 4 } },
      undefined,
      { onprogress: () => { progress += 1; }, timeout: 60000 });
    out.progress = progress;
    out.text = result.content?.[0]?.text ?? null;
  }
  if (action === 'feedback') {
    let progress = 0;
    const result = await client.callTool(
      { name: process.env.MCP_TOOL ?? 'collect_feedback',
        arguments: { summary: process.env.FEEDBACK_SUMMARY ?? 'Is this **right**?',
          timeout_seconds: Number(process.env.FEEDBACK_TIMEOUT ?? 60) } },
      undefined,
      { onprogress: () => { progress += 1; }, timeout: 5000, resetTimeoutOnProgress: true, maxTotalTimeout: 120000 });
    out.progress = progress;
    out.is_error = result.isError ?? false;
    out.content = result.content.map((c) => (c.type === 'text' ? { type: 'text', text: c.text }
      : { type: c.type, mime_type: c.mimeType, bytes: Buffer.from(c.data, 'base64').length }));
  }
  if (action === 'prompts') {
    out.prompts = (await client.listPrompts()).prompts.map((p) => p.name);
    out.resources = (await client.listResources()).resources.length;
  }
  if (action !== 'start') {
    await transport.terminateSession().catch(() => {});
  }
} catch (e) {
  out.error = String(e?.message ?? e);
  out.code = e?.code ?? null;
}
console.log(JSON.stringify(out));
process.exit(0);
