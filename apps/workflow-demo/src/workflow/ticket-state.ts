export interface Ticket {
  id: string;
  customer: string;
  channel: "email" | "chat" | "web";
  subject: string;
  body: string;
}

export type Category = "billing" | "account" | "shipping" | "bug" | "feature" | "other";

export interface ExtractedFields {
  orderId: string | null;
  product: string | null;
  urgency: "low" | "normal" | "high";
}

export interface TicketState {
  ticket: Ticket;
  category?: Category;
  fields?: ExtractedFields;
  sentiment?: "negative" | "neutral" | "positive";
  reply?: string;
}
