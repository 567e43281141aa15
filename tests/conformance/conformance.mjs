// Runs @google/genai (Node) against the sandbox at $SANDBOX_BASE_URL.
// Each check asserts what the SDK does against the real service: success shapes, and
// for every failure an ApiError whose status and JSON message carry the real values.

import assert from 'node:assert/strict';
import { ApiError, FinishReason, GoogleGenAI } from '@google/genai';

const BASE = process.env.SANDBOX_BASE_URL;
const KEY = 'conformance-node-key';
const ai = new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl: BASE } });
let passed = 0;
let failed = 0;

async function admin(method, path, body) {
  const r = await fetch(`${BASE}/__sandbox/${path}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return r.json();
}
const arm = (fault) => admin('POST', 'faults', fault);

async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}`);
    console.log(e);
  }
}

async function expectApiError(status, rpcStatus, fn) {
  try {
    await fn();
  } catch (e) {
    assert.ok(e instanceof ApiError, `not an ApiError: ${e}`);
    assert.equal(e.status, status, e.message);
    if (rpcStatus) assert.ok(e.message.includes(`"status":"${rpcStatus}"`) || e.message.includes(`got status: ${rpcStatus}`), e.message);
    return e;
  }
  assert.fail(`expected ApiError ${status}`);
}

const gen = (contents, config, model = 'gemini-2.5-flash', client = ai) =>
  client.models.generateContent({ model, contents, config });

await check('list and get models', async () => {
  const names = [];
  for await (const m of await ai.models.list({ config: { pageSize: 2 } })) names.push(m.name);
  assert.ok(names.includes('models/gemini-2.5-flash'), names.join());
  assert.ok(names.length >= 6);
  const m = await ai.models.get({ model: 'gemini-2.5-pro' });
  assert.equal(m.inputTokenLimit, 1048576);
});

await check('generate', async () => {
  const r = await gen('Hello from Node');
  assert.ok(r.text.startsWith('[sandbox] '), r.text);
  assert.equal(r.candidates[0].finishReason, FinishReason.STOP);
});

await check('stream', async () => {
  const chunks = [];
  for await (const c of await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'Stream please' })) chunks.push(c);
  assert.ok(chunks.length >= 2);
  assert.equal(chunks.at(-1).candidates[0].finishReason, FinishReason.STOP);
  assert.ok(chunks.map((c) => c.text ?? '').join('').startsWith('[sandbox] '));
});

await check('count tokens', async () => {
  const r = await ai.models.countTokens({ model: 'gemini-2.5-flash', contents: 'Explain rate limits' });
  assert.equal(r.totalTokens, 5);
});

await check('invalid key', async () => {
  const bad = new GoogleGenAI({ apiKey: 'an-invalid-key', httpOptions: { baseUrl: BASE } });
  const e = await expectApiError(400, 'INVALID_ARGUMENT', () => gen('x', undefined, 'gemini-2.5-flash', bad));
  assert.equal(JSON.parse(e.message).error.details[0].reason, 'API_KEY_INVALID');
});

await check('suspended key', async () => {
  const bad = new GoogleGenAI({ apiKey: 'suspended-key', httpOptions: { baseUrl: BASE } });
  await expectApiError(403, 'PERMISSION_DENIED', () => gen('x', undefined, 'gemini-2.5-flash', bad));
});

await check('unknown model', async () => {
  await expectApiError(404, 'NOT_FOUND', () => gen('x', undefined, 'gemini-pro'));
});

await check('v1 rejects v1beta fields', async () => {
  const v1 = new GoogleGenAI({ apiKey: KEY, apiVersion: 'v1', httpOptions: { baseUrl: BASE } });
  const e = await expectApiError(400, 'INVALID_ARGUMENT', () =>
    gen('x', { responseMimeType: 'application/json' }, 'gemini-2.5-flash', v1));
  assert.ok(e.message.includes('Unknown name \\"responseMimeType\\" at \'generation_config\''), e.message);
});

await check('out of range', async () => {
  await expectApiError(400, 'INVALID_ARGUMENT', () => gen('x', { topP: 2 }));
  const e = await expectApiError(400, 'INVALID_ARGUMENT', () => gen('x', { thinkingConfig: { thinkingBudget: 0 } }, 'gemini-2.5-pro'));
  assert.equal(JSON.parse(e.message).error.message, 'Budget 0 is invalid. This model only works in thinking mode.');
});

await check('rate limited', async () => {
  await admin('POST', 'reset');
  await gen('first', undefined, 'gemini-2.0-flash-lite');
  const e = await expectApiError(429, 'RESOURCE_EXHAUSTED', () => gen('second', undefined, 'gemini-2.0-flash-lite'));
  const details = JSON.parse(e.message).error.details;
  assert.match(details.at(-1).retryDelay, /^\d+s$/);
});

await check('server errors', async () => {
  for (const [code, status] of [[500, 'INTERNAL'], [503, 'UNAVAILABLE'], [504, 'DEADLINE_EXCEEDED']]) {
    await arm({ kind: 'status', code });
    await expectApiError(code, status, () => gen('x'));
  }
});

await check('unsupported region', async () => {
  const cfg = await admin('GET', 'config');
  await admin('PUT', 'config', { ...cfg, region_supported: false });
  try {
    await expectApiError(400, 'FAILED_PRECONDITION', () => gen('x'));
  } finally {
    await admin('PUT', 'config', cfg);
  }
});

await check('in-stream error', async () => {
  await arm({ kind: 'stream_error', code: 503, after_chunks: 1 });
  const got = [];
  const e = await expectApiError(503, 'UNAVAILABLE', async () => {
    for await (const c of await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'Stream please' })) got.push(c);
  });
  assert.ok(e.message.startsWith('got status: UNAVAILABLE.'), e.message);
  assert.equal(got.length, 1);
});

await check('html 502 from a proxy', async () => {
  await arm({ kind: 'html502' });
  const e = await expectApiError(502, null, () => gen('x'));
  assert.ok(e.message.includes('502 Bad Gateway'), e.message);
});

await check('transport faults fail the stream', async () => {
  for (const fault of [{ kind: 'malformed_chunk' }, { kind: 'drop', after_chunks: 1 }]) {
    await arm(fault);
    let threw = false;
    try {
      for await (const _ of await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'Stream please' }));
    } catch {
      threw = true;
    }
    assert.ok(threw, JSON.stringify(fault));
  }
});

await check('blocked prompt', async () => {
  const r = await gen('hello sandbox:block-safety');
  assert.equal(r.candidates, undefined);
  assert.equal(r.promptFeedback.blockReason, 'SAFETY');
  assert.equal(r.text, undefined);
});

await check('thinking ate the budget', async () => {
  const r = await gen('think hard', { maxOutputTokens: 10 });
  assert.equal(r.candidates[0].finishReason, FinishReason.MAX_TOKENS);
  assert.equal(r.text, undefined);
  assert.equal(r.usageMetadata.thoughtsTokenCount, 10);
});

console.log(`node: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
