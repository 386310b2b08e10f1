// Sends one plain and one streamed message through the gateway with the official SDK, unmodified,
// and prints what came back as one JSON line for the calling test to assert on.
import Anthropic from '@anthropic-ai/sdk';

const client = new Anthropic({ baseURL: process.env.GATEWAY_URL, apiKey: process.env.GATEWAY_KEY, maxRetries: 0 });
const params = { model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] };

const plain = await client.messages.create(params);
const stream = client.messages.stream(params);
let streamedText = '';
stream.on('text', (t) => { streamedText += t; });
const final = await stream.finalMessage();

let errorStatus = null;
try {
  await new Anthropic({ baseURL: process.env.GATEWAY_URL, apiKey: 'sk-wrong', maxRetries: 0 }).messages.create(params);
} catch (e) {
  errorStatus = e.status ?? null;
}

console.log(JSON.stringify({
  plainText: plain.content[0].text,
  plainModel: plain.model,
  plainUsage: plain.usage,
  streamedText,
  finalUsage: final.usage,
  finalModel: final.model,
  errorStatus,
}));
