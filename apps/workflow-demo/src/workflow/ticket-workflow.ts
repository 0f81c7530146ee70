import type { z } from "zod";
import { Workflow } from "../engine/workflow.js";
import type { LLMNodeFactory } from "../nodes/llm-node-factory.js";
import { CATEGORIES, Classification, Fields, Sentiment } from "./ticket-schemas.js";
import type { TicketState } from "./ticket-state.js";

const ticketText = (s: Readonly<TicketState>) =>
  `Subject: ${s.ticket.subject}\nChannel: ${s.ticket.channel}\n\n${s.ticket.body}`;

/**
 * classify → (extract fields ∥ sentiment) → draft a reply (streamed).
 * Every node names its client; which provider and model that is lives in
 * `llm.config.yaml`. The JSON nodes get typed objects (`ticket-schemas.ts`).
 */
export function ticketWorkflow(nodes: LLMNodeFactory): Workflow<TicketState> {
  const classify = nodes.createObject<TicketState, z.infer<typeof Classification>>({
    name: "classify",
    llmClient: "classifier",
    schema: Classification,
    schemaName: "classification",
    prompt: (s) => ({
      messages: [
        {
          role: "system",
          content: `Classify the support ticket. Categories: ${CATEGORIES.join(", ")}.`,
        },
        { role: "user", content: ticketText(s) },
      ],
      temperature: 0,
      maxTokens: 20,
    }),
    toState: ({ category }) => ({ category }),
  });

  const extract = nodes.createObject<TicketState, z.infer<typeof Fields>>({
    name: "extract",
    llmClient: "extractor",
    schema: Fields,
    schemaName: "fields",
    prompt: (s) => ({
      messages: [
        {
          role: "system",
          content: "Extract the order id, the product and the urgency from the ticket.",
        },
        { role: "user", content: ticketText(s) },
      ],
      temperature: 0,
    }),
    toState: (fields) => ({ fields }),
  });

  const sentiment = nodes.createObject<TicketState, z.infer<typeof Sentiment>>({
    name: "sentiment",
    llmClient: "classifier",
    schema: Sentiment,
    schemaName: "sentiment",
    prompt: (s) => ({
      messages: [
        {
          role: "system",
          content: "Rate the customer's sentiment: negative, neutral or positive.",
        },
        { role: "user", content: s.ticket.body },
      ],
      temperature: 0,
      maxTokens: 20,
    }),
    toState: ({ sentiment }) => ({ sentiment }),
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
