import { z } from "zod";
import type { Category, ExtractedFields, TicketState } from "./ticket-state.js";

/**
 * The typed answers of the workflow's JSON nodes. Each schema is both the
 * check (an answer outside it is sent back once, then fails the node) and,
 * through zod's JSON Schema, what the provider is told to produce.
 */
export const CATEGORIES = [
  "billing",
  "account",
  "shipping",
  "bug",
  "feature",
  "other",
] as const satisfies readonly Category[];

export const URGENCIES = [
  "low",
  "normal",
  "high",
] as const satisfies readonly ExtractedFields["urgency"][];

export const SENTIMENTS = [
  "negative",
  "neutral",
  "positive",
] as const satisfies readonly NonNullable<TicketState["sentiment"]>[];

export const Classification = z.object({ category: z.enum(CATEGORIES) });

export const Fields = z.object({
  orderId: z.string().nullable(),
  product: z.string().nullable(),
  urgency: z.enum(URGENCIES),
}) satisfies z.ZodType<ExtractedFields>;

export const Sentiment = z.object({ sentiment: z.enum(SENTIMENTS) });
