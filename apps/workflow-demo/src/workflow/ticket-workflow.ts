import { Workflow } from "../engine/workflow.js";
import type { LLMNodeFactory } from "../nodes/llm-node-factory.js";
import { parseJsonAnswer, pick } from "./parse-json.js";
import type { Category, TicketState } from "./ticket-state.js";

const CATEGORIES: readonly Category[] = [
  "billing",
  "account",
  "shipping",
  "bug",
  "feature",
  "other",
];
const SENTIMENTS = ["negative", "neutral", "positive"] as const;
const URGENCIES = ["low", "normal", "high"] as const;

const ticketText = (s: Readonly<TicketState>) =>
  `Subject: ${s.ticket.subject}\nChannel: ${s.ticket.channel}\n\n${s.ticket.body}`;

/**
 * classify → (extract fields ∥ sentiment) → draft a reply (streamed).
 * Every node names its client; which provider and model that is lives in
 * `llm.config.yaml`.
 */
export function ticketWorkflow(nodes: LLMNodeFactory): Workflow<TicketState> {
  const classify = nodes.create<TicketState>({
    name: "classify",
    llmClient: "classifier",
    prompt: (s) => ({
      messages: [
        {
          role: "system",
          content: `Classify the support ticket. Categories: ${CATEGORIES.join(", ")}.`,
        },
        { role: "user", content: ticketText(s) },
      ],
      responseFormat: {
        type: "json_schema",
        name: "classification",
        schema: {
          type: "object",
          properties: { category: { type: "string", enum: [...CATEGORIES] } },
          required: ["category"],
          additionalProperties: false,
        },
      },
      temperature: 0,
      maxTokens: 20,
    }),
    parse: (r) => ({ category: pick(parseJsonAnswer(r.text).category, CATEGORIES, "other") }),
  });

  const extract = nodes.create<TicketState>({
    name: "extract",
    llmClient: "extractor",
    prompt: (s) => ({
      messages: [
        {
          role: "system",
          content: "Extract the order id, the product and the urgency from the ticket as JSON.",
        },
        { role: "user", content: ticketText(s) },
      ],
      responseFormat: {
        type: "json_schema",
        name: "fields",
        schema: {
          type: "object",
          properties: {
            orderId: { type: ["string", "null"] },
            product: { type: ["string", "null"] },
            urgency: { type: "string", enum: [...URGENCIES] },
          },
          required: ["orderId", "product", "urgency"],
        },
      },
      temperature: 0,
    }),
    parse: (r) => {
      const json = parseJsonAnswer(r.text);
      return {
        fields: {
          orderId: typeof json.orderId === "string" ? json.orderId : null,
          product: typeof json.product === "string" ? json.product : null,
          urgency: pick(json.urgency, URGENCIES, "normal"),
        },
      };
    },
  });

  const sentiment = nodes.create<TicketState>({
    name: "sentiment",
    llmClient: "classifier",
    prompt: (s) => ({
      messages: [
        {
          role: "system",
          content: "Rate the customer's sentiment: negative, neutral or positive. Answer as JSON.",
        },
        { role: "user", content: s.ticket.body },
      ],
      responseFormat: { type: "json" },
      temperature: 0,
      maxTokens: 10,
    }),
    parse: (r) => ({ sentiment: pick(parseJsonAnswer(r.text).sentiment, SENTIMENTS, "neutral") }),
  });

  const draft = nodes.create<TicketState>({
    name: "draft-reply",
    llmClient: "drafter",
    stream: true,
    prompt: (s) => ({
      messages: [
        {
          role: "system",
          content:
            "You are a courteous support agent. Draft a short reply. Do not promise refunds you cannot grant.",
        },
        {
          role: "user",
          content: `${ticketText(s)}\n\nCategory: ${s.category}\nUrgency: ${s.fields?.urgency}\nSentiment: ${s.sentiment}`,
        },
      ],
      temperature: 0,
      maxTokens: 300,
    }),
    parse: (r) => ({ reply: r.text }),
  });

  return new Workflow<TicketState>("support-tickets")
    .step(classify)
    .parallel(extract, sentiment)
    .step(draft);
}
