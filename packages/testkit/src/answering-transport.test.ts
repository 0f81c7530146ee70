import { describe, expect, it } from "vitest";
import { answeringTransport } from "./answering-transport.js";

describe("answeringTransport", () => {
  it("answers every request 200 with the body and content type it was given", async () => {
    const transport = answeringTransport('{"ok":true}', "application/json");
    for (let i = 0; i < 2; i++) {
      const response = await transport.request({
        url: "http://nowhere.invalid/v1/x",
        method: "POST",
        headers: {},
        body: "{}",
      });
      expect(response.status).toBe(200);
      expect(response.headers["content-type"]).toBe("application/json");
      let text = "";
      for await (const chunk of response.body) text += new TextDecoder().decode(chunk);
      expect(text).toBe('{"ok":true}');
    }
  });
});
