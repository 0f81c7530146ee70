import { describe, expect, it } from "vitest";
import type { CallRecord, NodeContext, WorkflowNode } from "./types.js";
import { Workflow } from "./workflow.js";

interface S {
  n: number;
  a?: string;
  b?: string;
  trail?: string[];
}

const context = (): NodeContext & { records: CallRecord[] } => {
  const records: CallRecord[] = [];
  return { signal: new AbortController().signal, record: (r) => void records.push(r), records };
};

const node = (name: string, run: WorkflowNode<S>["run"]): WorkflowNode<S> => ({ name, run });

describe("Workflow", () => {
  it("runs steps in order, feeding each the merged state", async () => {
    const wf = new Workflow<S>("w")
      .step(node("double", async (s) => ({ n: s.n * 2, trail: [...(s.trail ?? []), "double"] })))
      .step(node("inc", async (s) => ({ n: s.n + 1, trail: [...(s.trail ?? []), "inc"] })));
    expect(await wf.run({ n: 5 }, context())).toEqual({ n: 11, trail: ["double", "inc"] });
    expect(wf.steps.map((s) => s.kind)).toEqual(["node", "node"]);
  });

  it("runs a parallel step on the same input and merges the patches", async () => {
    const order: string[] = [];
    const wf = new Workflow<S>("w").parallel(
      node("a", async (s) => {
        await new Promise((r) => setTimeout(r, 5));
        order.push("a");
        return { a: `a${s.n}` };
      }),
      node("b", async (s) => {
        order.push("b");
        return { b: `b${s.n}` };
      }),
    );
    expect(await wf.run({ n: 1 }, context())).toEqual({ n: 1, a: "a1", b: "b1" });
    expect(order).toEqual(["b", "a"]);
  });

  it("reports two parallel nodes writing the same key", async () => {
    const wf = new Workflow<S>("w").parallel(
      node("x", async () => ({ a: "1" })),
      node("y", async () => ({ a: "2" })),
    );
    await expect(wf.run({ n: 0 }, context())).rejects.toThrow(/"x" and "y" both write "a"/);
  });

  it("stops before the next step once the run is aborted", async () => {
    const controller = new AbortController();
    const wf = new Workflow<S>("w")
      .step(
        node("first", async () => {
          controller.abort();
          return { a: "x" };
        }),
      )
      .step(node("never", async () => ({ b: "y" })));
    await expect(
      wf.run({ n: 0 }, { signal: controller.signal, record: () => {} }),
    ).rejects.toThrow();
  });
});
