// Notices carry text people typed: Slack control sequences in it must arrive
// escaped (no @channel pings, no disguised links), in every notice, as sent.
import http from "node:http";
import { describe, expect, it } from "vitest";
import { escapeSlack, sendWebhook } from "@/lib/jobs/webhook";

const HOSTILE = "ok <!channel> <!here> <@U024BE7LH> <#C024BE7LR> <http://evil.example|your request> & <!subteam^S1>";

async function receive(send: (url: string) => Promise<unknown>): Promise<{ text: string }> {
  let body = "";
  const server = http.createServer((rq, rs) => {
    rq.on("data", (c) => (body += c));
    rq.on("end", () => rs.end("ok"));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    await send(`http://127.0.0.1:${(server.address() as { port: number }).port}/hook`);
  } finally {
    server.close();
  }
  return JSON.parse(body);
}

describe("webhook text escaping", () => {
  it("escapes &, < and > as Slack documents, so no mention or link survives", () => {
    expect(escapeSlack("<!channel> a&b <http://x|y>")).toBe("&lt;!channel&gt; a&amp;b &lt;http://x|y&gt;");
  });

  it.each(["created", "decided", "applied", "failed", "expiry-notice"])("a %s notice with hostile text arrives with no control sequence but RoleGate's own link", async (event) => {
    const msg = await receive((url) => sendWebhook({ event, requestId: "6f1c8f53-3c38-4b55-9d35-8ad1c3ae1f11", text: `ivy rejected: ${HOSTILE}` }, url, "https://rolegate.example.com"));
    const controls = msg.text.match(/<[^>]*>/g) ?? [];
    expect(controls).toEqual(["<https://rolegate.example.com/requests/6f1c8f53-3c38-4b55-9d35-8ad1c3ae1f11|open>"]);
    expect(msg.text).toContain("&lt;!channel&gt;");
    expect(msg.text).toContain("&lt;http://evil.example|your request&gt;");
    expect(msg.text).toContain("&amp; &lt;!subteam^S1&gt;");
  });

  it("a request id cannot smuggle a link label into RoleGate's own link", async () => {
    const msg = await receive((url) => sendWebhook({ event: "created", requestId: "x|<!channel>", text: "t" }, url, "https://rolegate.example.com"));
    expect(msg.text.match(/<[^>]*>/g)).toEqual(["<https://rolegate.example.com/requests/x%7C%3C!channel%3E|open>"]);
  });

  it("a review notice links to its page (the path RoleGate gives it), still escaped", async () => {
    const msg = await receive((url) => sendWebhook({ event: "review.reminder", requestId: "c1", path: "/reviews/c1|<!here>", text: "@ivy: 2 mapping(s) still to review" }, url, "https://rolegate.example.com"));
    expect(msg.text.match(/<[^>]*>/g)).toEqual(["<https://rolegate.example.com/reviews/c1%7C&lt;!here&gt;|open>"]);
  });
});
