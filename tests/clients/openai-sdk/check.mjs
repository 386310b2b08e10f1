// Drives the official OpenAI SDK, unmodified, against OPENAI_BASE_URL (the root URL: the gateway or the fake upstream;
// "/v1" is appended here as users do) with OPENAI_KEY: Responses JSON and streamed, a streamed Responses function call,
// Chat Completions JSON and streamed with include_usage, and (when OPENAI_BAD_KEY is set) one call that must fail.
// Prints one JSON line for the calling test to assert on.
import OpenAI from 'openai';

const baseURL = `${process.env.OPENAI_BASE_URL.replace(/\/$/, '')}/v1`;
const client = new OpenAI({ baseURL, apiKey: process.env.OPENAI_KEY, maxRetries: 0, timeout: 30_000 });
const model = process.env.OPENAI_MODEL ?? 'gpt-5.1';

const responseJson = await client.responses.create({ model, input: 'hi', stream: false });

let responseStreamText = '';
let responseStreamUsage = null;
let responseStreamModel = null;
const responseEventTypes = [];
for await (const event of await client.responses.create({ model, input: 'hi', stream: true })) {
  responseEventTypes.push(event.type);
  if (event.type === 'response.output_text.delta') responseStreamText += event.delta;
  if (event.type === 'response.completed') {
    responseStreamUsage = event.response.usage;
    responseStreamModel = event.response.model;
  }
}

const tools = [{
  type: 'function',
  name: 'get_weather',
  description: 'Weather of a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
}];
let toolArguments = '';
let toolCall = null;
for await (const event of await client.responses.create({ model, input: '[call-tool] weather in Paris?', tools, stream: true })) {
  if (event.type === 'response.function_call_arguments.delta') toolArguments += event.delta;
  if (event.type === 'response.output_item.done' && event.item.type === 'function_call') toolCall = event.item;
}

const chatParams = { model, messages: [{ role: 'user', content: 'hi' }] };
const chatJson = await client.chat.completions.create(chatParams);

let chatStreamText = '';
let chatStreamUsage = null;
let chatStreamFinish = null;
for await (const chunk of await client.chat.completions.create({ ...chatParams, stream: true, stream_options: { include_usage: true } })) {
  const choice = chunk.choices[0];
  if (choice?.delta?.content) chatStreamText += choice.delta.content;
  if (choice?.finish_reason) chatStreamFinish = choice.finish_reason;
  if (chunk.usage) chatStreamUsage = chunk.usage;
}

let errorStatus = null;
let errorType = null;
if (process.env.OPENAI_BAD_KEY) {
  try {
    await new OpenAI({ baseURL, apiKey: process.env.OPENAI_BAD_KEY, maxRetries: 0 }).responses.create({ model, input: 'hi' });
  } catch (e) {
    errorStatus = e.status ?? null;
    errorType = e.error?.type ?? e.type ?? null;
  }
}

console.log(JSON.stringify({
  responseJsonText: responseJson.output_text,
  responseJsonModel: responseJson.model,
  responseJsonUsage: responseJson.usage,
  responseStreamText,
  responseStreamModel,
  responseStreamUsage,
  responseEventTypes,
  toolArguments,
  toolCall: toolCall && { name: toolCall.name, call_id: toolCall.call_id, arguments: toolCall.arguments },
  chatJsonText: chatJson.choices[0].message.content,
  chatJsonModel: chatJson.model,
  chatJsonUsage: chatJson.usage,
  chatStreamText,
  chatStreamFinish,
  chatStreamUsage,
  errorStatus,
  errorType,
}));
