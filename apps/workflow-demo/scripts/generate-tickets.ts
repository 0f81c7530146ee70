/**
 * Regenerates src/data/tickets.json: 200 support tickets, deterministic
 * (seeded), with the repetition a real queue has — the same FAQ asked by
 * many customers, word for word through the web form.
 *   node --import tsx scripts/generate-tickets.ts
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

let seed = 20261125;
const random = () => {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 2 ** 32;
};
const choose = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const first = [
  "Ana",
  "Ben",
  "Chloé",
  "Dmitri",
  "Emeka",
  "Fatima",
  "Goran",
  "Hana",
  "Ivan",
  "Jules",
  "Keiko",
  "Lars",
  "Maya",
  "Nikos",
  "Olga",
  "Priya",
  "Quentin",
  "Rosa",
  "Sven",
  "Tariq",
];
const last = [
  "Silva",
  "Okafor",
  "Müller",
  "Kowalski",
  "Tanaka",
  "Haddad",
  "Novak",
  "Rossi",
  "Dubois",
  "Larsen",
];
const products = [
  "Aurora desk lamp",
  "Nimbus headphones",
  "Vela standing desk",
  "Orbit smart plug",
  "Kite backpack",
  "Terra water bottle",
];

const faqs = [
  {
    subject: "How do I reset my password?",
    body: "I forgot my password and the reset email never arrives. How can I get back into my account?",
  },
  {
    subject: "Where is my invoice?",
    body: "I need the invoice for my last order for my company's accounting. Where can I download it?",
  },
  {
    subject: "Change delivery address",
    body: "Can I still change the delivery address after placing an order? I moved last week.",
  },
  {
    subject: "Cancel subscription",
    body: "Please tell me how to cancel my subscription before the next billing date.",
  },
  {
    subject: "Do you ship internationally?",
    body: "Do you ship to Norway, and how long does it take? Are there customs fees?",
  },
];

const templates = [
  (p: string, o: string) => ({
    subject: `${p} arrived broken`,
    body: `My ${p} (order ${o}) arrived with a cracked housing. I would like a replacement as soon as possible, this is the second time.`,
  }),
  (p: string, o: string) => ({
    subject: `Charged twice for order ${o}`,
    body: `I was charged twice for my ${p}, order ${o}. Please refund the duplicate payment, my bank shows both.`,
  }),
  (p: string, o: string) => ({
    subject: `Order ${o} not delivered`,
    body: `Tracking for order ${o} (${p}) has said "in transit" for 12 days. When will it arrive?`,
  }),
  (p: string) => ({
    subject: `App crashes when pairing ${p}`,
    body: `The companion app crashes every time I try to pair my ${p}. Android 15, app version 4.2.1. Logs attached.`,
  }),
  (p: string) => ({
    subject: `Feature idea for ${p}`,
    body: `Love the ${p}! It would be great to schedule it from the app. Any plans for that?`,
  }),
  (p: string, o: string) => ({
    subject: `Wrong colour sent`,
    body: `I ordered the ${p} in green (order ${o}) but received grey. Can you exchange it?`,
  }),
  (p: string) => ({
    subject: `Thank you!`,
    body: `Just wanted to say the ${p} is excellent and your support team was very helpful last month.`,
  }),
];

const tickets = Array.from({ length: 200 }, (_, i) => {
  const customer = `${choose(first)} ${choose(last)}`;
  const channel = choose(["email", "chat", "web"] as const);
  // A third of the queue is the same few questions, word for word (web form).
  if (random() < 0.34)
    return { id: `T-${1000 + i}`, customer, channel: "web" as const, ...choose(faqs) };
  const order = `A${Math.floor(10000 + random() * 89999)}`;
  return { id: `T-${1000 + i}`, customer, channel, ...choose(templates)(choose(products), order) };
});

const out = fileURLToPath(new URL("../src/data/tickets.json", import.meta.url));
writeFileSync(out, `${JSON.stringify(tickets, null, 2)}\n`);
console.log(`wrote ${tickets.length} tickets to ${out}`);
